"""Synthetic but realistic dossiers for demonstrations and load tests (``raccordo demo``).

Procedure types, workflows, term rules, offices and settings are read from the tables,
so the histories follow whatever an administrator configured. Rows are written in
batches from a compiled Core ``insert()`` (``COPY`` on PostgreSQL), with no ORM object per
dossier, and the derived columns are computed with the same pure clock the service layer
uses, so a recompute would store the same values. From ``PARALLEL_FROM`` dossiers on, a
second process builds the rows while this one writes.

The output depends only on the seed, the database's "today" and what the tables hold:
ids are time-ordered UUIDs (version 7 layout) built from the seeded generator, which also
keeps the B-tree inserts sequential and the generation fast.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import random
import uuid
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import accumulate
from multiprocessing.connection import Connection as MPConnection
from operator import itemgetter
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, Dialect, Table, Uuid, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from stdnum import luhn
from stdnum.it import codicefiscale

from models.audit import append_entries
from models.calendar import HolidayCalendar, calendar_for
from models.clock import (
    ClockReading,
    StateChange,
    Suspension,
    TermSpec,
    add_months,
    compute_clock,
)
from models.deadlines import held_days_columns, office_for_party, term_spec
from models.dossiers import Dossier, DossierEvent, Flag, Parere, format_protocol
from models.enums import (
    ARCHIVIATA,
    CONVOCATA,
    DEFINITA_POSITIVA,
    FLAG_CATEGORIES,
    IN_ISTRUTTORIA,
    INTEGRAZIONE_RICHIESTA,
    PARERE_RICHIESTO,
    PREAVVISO_RIGETTO,
    PRESENTATA,
    RIGETTATA,
    EventKind,
    OfficeKind,
    ParereOutcome,
    Party,
    Role,
    TermStart,
    TermUnit,
)
from models.errors import NotFound
from models.offices import Office, Staff
from models.parere_target import read_parere_target
from models.procedures import ProcedureType, TermRule
from models.registry import ProtocolCounter, Setting
from models.text import fold
from models.uow import Database
from models.workflow import Move, Workflow, load_workflow

Progress = Callable[[int, int], None]
_T = TypeVar("_T")

BATCH_SIZE = 5000
PARALLEL_FROM = 20_000  # dossiers from which a second process builds rows while one writes
YEARS_BACK = 3
ACTOR = "demo"
RUNS_SETTING = "demo_runs"  # JSON {seed: runs}: a seed used again yields new people
_MAX_STEPS = 16
_REVISIT = 0.08  # weight factor for going back to a state already visited
_SQLITE_CACHE_KIB = 131_072  # indexes of a large demo stay in memory while inserting

# ---------------------------------------------------------------------------------------
# People: communities present in Lombardy and the province of Lodi.


@dataclass(frozen=True)
class Community:
    nationality: str  # ISO 3166-1 alpha-3
    belfiore: str  # the "Z" code of the country in the codice fiscale
    weight: float  # relative size among applicants
    cities: tuple[str, ...]
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]
    female_surnames: tuple[str, ...] = ()  # when women's surnames differ (Polish, Sikh Kaur)
    passport: tuple[str, int, int] = ("", 2, 7)  # literal prefix, letters, digits
    eu: bool = False  # EU citizens need no permit: they appear only in citizenship files


# fmt: off
COMMUNITIES: tuple[Community, ...] = (
    Community(
        "ROU", "Z129", 15.0,
        ("București", "Iași", "Bacău", "Constanța", "Suceava", "Craiova", "Brăila"),
        ("Ștefan", "Ionuț", "Andrei", "Mihai", "Alexandru", "Răzvan", "Florin", "Costel",
         "Gheorghe", "Marius"),
        ("Ioana", "Elena", "Mădălina", "Andreea", "Alexandra", "Ștefania", "Roxana",
         "Cătălina", "Bianca", "Ana-Maria"),
        ("Popescu", "Ionescu", "Țurcanu", "Dumitrescu", "Stoica", "Gheorghe", "Munteanu",
         "Constantinescu", "Mărgărit", "Bălan", "Sârbu", "Ciobanu", "Căpraru", "Lungu"),
        eu=True,
    ),
    Community(
        "ALB", "Z100", 12.0,
        ("Tiranë", "Durrës", "Elbasan", "Shkodër", "Fier", "Vlorë", "Berat", "Korçë"),
        ("Arben", "Ilir", "Erion", "Gentian", "Besnik", "Dritan", "Ardit", "Klodian", "Ermal",
         "Shpëtim", "Çlirim"),
        ("Elira", "Anisa", "Jonida", "Ermira", "Blerina", "Mirela", "Drita", "Arjola", "Klea",
         "Xhesika"),
        ("Hoxha", "Shehu", "Gjoka", "Kola", "Dervishi", "Leka", "Çela", "Marku", "Bregu",
         "Muça", "Hysa", "Brahimi", "Kastrati", "Lleshi"),
        passport=("", 2, 7),
    ),
    Community(
        "MAR", "Z330", 12.0,
        ("Casablanca", "Khouribga", "Béni Mellal", "Fès", "Marrakech", "Rabat", "Meknès"),
        ("Mohamed", "Youssef", "Hamza", "Abdelkader", "Rachid", "Said", "Mustapha", "Karim",
         "Hicham", "Anouar"),
        ("Fatima", "Khadija", "Nadia", "Samira", "Meryem", "Hanane", "Zineb", "Salma", "Imane",
         "Latifa"),
        ("El Amrani", "Benali", "Bennani", "El Idrissi", "Ouahbi", "Tazi", "Alaoui", "Bouzid",
         "Chraibi", "El Fassi", "Zerouali", "Lahlou", "Boukhari", "Ait Ouahmane"),
    ),
    Community(
        "EGY", "Z336", 7.0,
        ("Cairo", "Alessandria", "Fayoum", "Mansoura", "Tanta", "Zagazig"),
        ("Ahmed", "Mohamed", "Mahmoud", "Mostafa", "Karim", "Amr", "Tarek", "Hossam", "Sherif",
         "Omar"),
        ("Mona", "Aya", "Nour", "Heba", "Rania", "Dina", "Yasmin", "Mariam"),
        ("Hassan", "Ibrahim", "Mahmoud", "Abdelrahman", "El Sayed", "Mostafa", "Youssef",
         "Farag", "Soliman", "Abdelaziz", "Shehata"),
        passport=("A", 0, 8),
    ),
    Community(
        "IND", "Z222", 8.0,
        ("Amritsar", "Jalandhar", "Ludhiana", "Hoshiarpur", "Kapurthala", "Patiala"),
        ("Gurpreet", "Harpreet", "Manpreet", "Jaswinder", "Rajesh", "Sukhwinder", "Amandeep",
         "Balwinder", "Sandeep", "Ravi"),
        ("Harjit", "Simranjit", "Paramjit", "Kamaljit", "Priya", "Sunita", "Navdeep",
         "Rajwinder"),
        ("Singh", "Singh", "Singh", "Kumar", "Sharma", "Gill", "Sandhu", "Sidhu", "Dhillon",
         "Grewal", "Brar", "Patel", "Verma"),
        ("Kaur", "Kaur", "Kaur", "Kaur", "Kumari", "Sharma", "Gill", "Sandhu", "Devi"),
        passport=("", 1, 7),
    ),
    Community(
        "CHN", "Z210", 5.0,
        ("Wenzhou", "Qingtian", "Fuqing", "Lishui", "Shanghai", "Nanjing"),
        ("Wei", "Lei", "Jun", "Qiang", "Hao", "Xiaoming", "Jianguo", "Yu"),
        ("Fang", "Jing", "Yan", "Hui", "Min", "Xiuying", "Lili", "Jiahui"),
        ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu",
         "Hu", "Zhu", "Lin"),
        passport=("E", 0, 8),
    ),
    Community(
        "UKR", "Z138", 5.0,
        ("Kyiv", "Lviv", "Ternopil", "Ivano-Frankivsk", "Chernivtsi", "Kharkiv", "Odesa"),
        ("Oleksandr", "Andrii", "Serhii", "Volodymyr", "Dmytro", "Mykola", "Vasyl", "Yurii",
         "Oleh", "Ivan"),
        ("Olena", "Tetiana", "Nataliia", "Iryna", "Oksana", "Yuliia", "Svitlana", "Halyna",
         "Liudmyla", "Mariia"),
        ("Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boiko",
         "Koval", "Oliinyk", "Lysenko", "Moroz", "Marchenko", "Savchenko"),
        passport=("", 2, 6),
    ),
    Community(
        "PAK", "Z236", 4.0,
        ("Lahore", "Gujrat", "Sialkot", "Jhelum", "Gujranwala", "Mandi Bahauddin"),
        ("Muhammad", "Imran", "Asif", "Bilal", "Usman", "Kamran", "Naveed", "Adnan", "Waqas",
         "Shahid"),
        ("Ayesha", "Fatima", "Sana", "Nazia", "Rabia", "Samina", "Saima", "Amina"),
        ("Khan", "Ahmed", "Hussain", "Ali", "Iqbal", "Butt", "Chaudhry", "Malik", "Raza",
         "Shah", "Akhtar", "Mahmood"),
    ),
    Community(
        "SEN", "Z343", 4.0,
        ("Dakar", "Touba", "Thiès", "Louga", "Kaolack", "Diourbel"),
        ("Mamadou", "Abdoulaye", "Moussa", "Cheikh", "Ousmane", "Ibrahima", "Modou", "Babacar",
         "Serigne", "Pape"),
        ("Fatou", "Aminata", "Awa", "Mariama", "Khady", "Ndèye", "Coumba", "Astou"),
        ("Diop", "Ndiaye", "Fall", "Sow", "Gueye", "Diallo", "Faye", "Sarr", "Mbaye", "Cissé",
         "Thiam", "Diagne", "Sène", "Niang"),
        passport=("A", 0, 8),
    ),
    Community(
        "ECU", "Z605", 4.0,
        ("Guayaquil", "Quito", "Cuenca", "Portoviejo", "Machala", "Santo Domingo"),
        ("Fernando", "Darwin", "Jhonny", "Segundo", "Byron", "Wilson", "Édison", "Ángel",
         "Luis Alberto"),
        ("Jessica", "Mayra", "Katherine", "Gabriela", "Doris", "Nelly", "Mónica", "Ximena",
         "María José"),
        ("Guamán", "Zambrano", "Mora", "Vera", "Cedeño", "Moreira", "Andrade", "Macías",
         "Cevallos", "Pazmiño", "Loor", "Villacís", "Quiñónez", "Alcívar"),
        passport=("", 1, 8),
    ),
    Community(
        "PER", "Z611", 3.0,
        ("Lima", "Arequipa", "Trujillo", "Cusco", "Chiclayo", "Huancayo"),
        ("José Luis", "Juan Carlos", "Luis Alberto", "Jesús", "Víctor", "Raúl", "César",
         "Martín"),
        ("Rosa María", "Carmen", "Sofía", "María Elena", "Lucía", "Verónica", "Ana Lucía",
         "Milagros"),
        ("Quispe", "Mamani", "Flores", "Huamán", "Rojas", "Chávez", "Vásquez", "Ramírez",
         "Gutiérrez", "Sánchez", "Núñez", "Peña", "Castillo"),
        passport=("", 0, 9),
    ),
    Community(
        "TUN", "Z352", 3.0,
        ("Tunis", "Sfax", "Sousse", "Kairouan", "Bizerte", "Gabès"),
        ("Mohamed Ali", "Anis", "Walid", "Sami", "Bilel", "Hatem", "Nabil", "Riadh"),
        ("Amira", "Ines", "Rim", "Sonia", "Olfa", "Hajer", "Asma", "Nesrine"),
        ("Ben Ali", "Trabelsi", "Jebali", "Gharbi", "Hammami", "Ben Salah", "Mejri", "Ayari",
         "Riahi", "Chaabane", "Sassi", "Ben Youssef"),
        passport=("", 1, 6),
    ),
    Community(
        "BGD", "Z249", 3.0,
        ("Dhaka", "Sylhet", "Comilla", "Narayanganj", "Noakhali", "Madaripur"),
        ("Mohammad", "Abdul", "Rafiqul", "Shahidul", "Kamrul", "Jahangir", "Rasel", "Sohel",
         "Mizanur", "Habibur"),
        ("Nasrin", "Shahnaz", "Rokeya", "Taslima", "Farzana", "Sumaiya"),
        ("Hossain", "Rahman", "Islam", "Uddin", "Miah", "Ahmed", "Chowdhury", "Sarker", "Alam"),
        ("Akter", "Begum", "Khatun", "Rahman", "Islam", "Hossain"),
        passport=("", 1, 8),
    ),
    Community(
        "MDA", "Z140", 3.0,
        ("Chișinău", "Bălți", "Orhei", "Soroca", "Cahul", "Ungheni"),
        ("Ion", "Vasile", "Sergiu", "Victor", "Nicolae", "Dumitru", "Ștefan", "Vitalie",
         "Igor"),
        ("Maria", "Ana", "Tatiana", "Natalia", "Elena", "Olga", "Doina", "Lilia", "Svetlana"),
        ("Țurcanu", "Rusu", "Ceban", "Ciobanu", "Cebotari", "Munteanu", "Lungu", "Bălan",
         "Roșca", "Cojocaru", "Guțu", "Sârbu", "Moraru"),
        passport=("", 1, 8),
    ),
    Community(
        "NGA", "Z335", 3.0,
        ("Benin City", "Lagos", "Enugu", "Onitsha", "Ibadan", "Warri"),
        ("Chinedu", "Emeka", "Osaro", "Ikechukwu", "Uchenna", "Osas", "Efosa", "Tunde",
         "Samuel"),
        ("Blessing", "Joy", "Precious", "Favour", "Osarugue", "Esohe", "Gift", "Peace",
         "Chioma", "Mercy"),
        ("Okafor", "Okonkwo", "Adeyemi", "Eze", "Nwosu", "Obi", "Osagie", "Igbinedion",
         "Omoregie", "Edosomwan", "Osaghae", "Uwaifo"),
        passport=("", 1, 8),
    ),
    Community(
        "PHL", "Z216", 2.0,
        ("Manila", "Batangas", "Quezon City", "Cebu", "Iloilo", "Pangasinan"),
        ("Jose", "Mark Anthony", "Jerome", "Rommel", "Ricardo", "Reynaldo", "Ariel"),
        ("Maria Cristina", "Rowena", "Marilou", "Jocelyn", "Lorna", "Rosalie", "Analyn",
         "Liezel"),
        ("Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Garcia", "Mendoza", "Torres",
         "Dela Cruz", "Villanueva", "Ramos", "Aquino"),
        passport=("P", 1, 7),
    ),
    Community(
        "LKA", "Z209", 2.0,
        ("Colombo", "Negombo", "Kurunegala", "Chilaw", "Wennappuwa", "Kandy"),
        ("Nimal", "Sunil", "Chaminda", "Ruwan", "Kasun", "Pradeep", "Nuwan", "Lasantha"),
        ("Chamari", "Dilani", "Nadeeka", "Sanduni", "Kumudu", "Thilini", "Anoma", "Ishara"),
        ("Perera", "Fernando", "Silva", "De Silva", "Jayasinghe", "Wijesinghe", "Gunawardena",
         "Bandara", "Dissanayake", "Herath", "Kumara"),
        passport=("N", 0, 7),
    ),
    Community(
        "POL", "Z127", 1.5,
        ("Kraków", "Warszawa", "Łódź", "Wrocław", "Rzeszów", "Białystok"),
        ("Łukasz", "Paweł", "Piotr", "Krzysztof", "Tomasz", "Michał", "Grzegorz", "Jędrzej"),
        ("Agnieszka", "Małgorzata", "Katarzyna", "Joanna", "Magdalena", "Ewa", "Żaneta",
         "Beata"),
        ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński",
         "Szymański", "Woźniak", "Dąbrowski", "Kaczmarek", "Mazur"),
        ("Nowak", "Kowalska", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowska", "Zielińska",
         "Szymańska", "Woźniak", "Dąbrowska", "Kaczmarek", "Mazur"),
        eu=True,
    ),
    Community(
        "TUR", "Z243", 0.6,
        ("İstanbul", "Ankara", "İzmir", "Gaziantep", "Kayseri"),
        ("Mehmet", "Mustafa", "Ahmet", "Hüseyin", "Emre", "Oğuz", "Çağrı"),
        ("Ayşe", "Fatma", "Emine", "Zeynep", "Gülşen", "Özlem", "Şule"),
        ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Ağça", "Doğan", "Arslan"),
        passport=("U", 0, 8),
    ),
    Community(
        "VNM", "Z251", 0.4,
        ("Hà Nội", "Hải Phòng", "Nam Định", "Thành phố Hồ Chí Minh", "Huế"),
        ("Văn Hùng", "Minh Tuấn", "Đức Anh", "Quốc Bảo", "Thanh Tùng"),
        ("Thị Minh", "Thị Lan", "Thị Hương", "Ngọc Anh", "Thu Trang"),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"),
        passport=("C", 0, 7),
    ),
)
# fmt: on

# ---------------------------------------------------------------------------------------
# Procedure profiles: how often each type occurs and who files it. Keyed by type code; a
# type an administrator added gets the default profile.


@dataclass(frozen=True)
class Profile:
    weight: float
    female_share: float
    ages: tuple[tuple[float, int, int], ...]  # (weight, youngest, oldest) at filing
    fiscal_code_share: float  # already has a codice fiscale (lives or lived in Italy)
    cui_share: float  # already fingerprinted by the Questura
    passport_share: float
    code_letter: str | None  # family of the ALI codice domanda; None: filed on paper
    fates: tuple[float, float, float]  # positive, rejected, archived
    nationality_bias: tuple[tuple[str, float], ...] = ()
    sectors: tuple[tuple[str, float], ...] = ()  # employers, when the type has one
    employer_share: float = 0.0  # optional employer for types that do not require one
    eu_allowed: bool = False


# fmt: off
_WORK_SECTORS = (("logistica", 3.0), ("agricoltura", 2.5), ("edilizia", 1.5),
                 ("ristorazione", 1.2), ("servizi", 1.2), ("domestico", 1.5))
_SEASONAL_BIAS = (("IND", 2.2), ("MAR", 1.4), ("ALB", 1.3), ("BGD", 1.3), ("SEN", 1.2),
                  ("TUN", 1.2), ("CHN", 0.1), ("PER", 0.2), ("ECU", 0.2), ("PHL", 0.2),
                  ("UKR", 0.3), ("MDA", 0.6), ("NGA", 0.3))

PROFILES: dict[str, Profile] = {
    "NO_LAVORO": Profile(
        30, 0.28, ((1, 20, 50),), 0.08, 0.05, 0.99, "N", (0.70, 0.06, 0.24),
        (("IND", 1.6), ("BGD", 1.5), ("PAK", 1.3), ("MAR", 1.2), ("EGY", 1.2), ("LKA", 1.2),
         ("UKR", 0.7), ("PER", 0.7), ("CHN", 0.5)),
        _WORK_SECTORS,
    ),
    "NO_STAGIONALE": Profile(
        22, 0.12, ((1, 19, 45),), 0.12, 0.10, 1.0, "S", (0.72, 0.05, 0.23), _SEASONAL_BIAS,
        (("agricoltura", 1.0),),
    ),
    "CITTADINANZA": Profile(
        14, 0.5, ((1, 28, 66),), 1.0, 0.95, 0.97, "K", (0.90, 0.04, 0.06),
        (("ROU", 1.6), ("ALB", 1.8), ("MAR", 1.6), ("PER", 1.2), ("ECU", 1.2), ("MDA", 1.1),
         ("CHN", 0.4), ("BGD", 0.5), ("PAK", 0.6), ("NGA", 0.5)),
        eu_allowed=True,
    ),
    "RICONGIUNGIMENTO": Profile(
        10, 0.66, ((0.45, 1, 17), (0.45, 20, 50), (0.10, 58, 75)), 0.04, 0.0, 0.97, "F",
        (0.83, 0.07, 0.10),
        (("MAR", 1.4), ("IND", 1.4), ("PAK", 1.4), ("BGD", 1.4), ("EGY", 1.4), ("ALB", 1.2)),
        (("famiglia", 1.0),),
    ),
    "CONVERSIONE": Profile(
        8, 0.35, ((1, 19, 35),), 1.0, 1.0, 1.0, "C", (0.86, 0.07, 0.07),
        sectors=_WORK_SECTORS, employer_share=0.75,
    ),
    "TEST_ITALIANO": Profile(
        6, 0.5, ((1, 25, 60),), 1.0, 1.0, 1.0, "T", (0.82, 0.12, 0.06),
    ),
    "CARTA_BLU": Profile(
        2, 0.3, ((1, 24, 45),), 0.2, 0.1, 1.0, "B", (0.90, 0.03, 0.07),
        (("IND", 3.0), ("EGY", 1.5), ("CHN", 1.5), ("UKR", 1.5), ("TUR", 3.0), ("VNM", 2.0),
         ("ALB", 0.5), ("MAR", 0.5), ("SEN", 0.2), ("BGD", 0.3), ("NGA", 0.3)),
        (("tecnologia", 3.0), ("sanita", 0.5)),
    ),
    "CASI_PARTICOLARI": Profile(
        2.5, 0.45, ((1, 22, 55),), 0.3, 0.2, 1.0, "P", (0.85, 0.07, 0.08),
        (("PER", 2.0), ("PHL", 2.0), ("IND", 1.5), ("ALB", 1.2)),
        (("sanita", 2.0), ("tecnologia", 1.0)),
    ),
    "ART18": Profile(
        0.35, 0.82, ((1, 18, 35),), 0.5, 0.9, 0.4, None, (0.85, 0.05, 0.10),
        (("NGA", 8.0), ("CHN", 1.5), ("ALB", 1.2), ("MAR", 0.8), ("UKR", 0.5)),
    ),
    "ART18TER": Profile(
        0.25, 0.15, ((1, 20, 50),), 0.6, 0.9, 0.6, None, (0.80, 0.08, 0.12),
        (("IND", 3.0), ("PAK", 2.0), ("BGD", 2.0), ("MAR", 1.5), ("SEN", 1.5), ("CHN", 1.2)),
    ),
}
DEFAULT_PROFILE = Profile(
    1.0, 0.4, ((1, 20, 55),), 0.5, 0.3, 0.95, "G", (0.85, 0.07, 0.08),
    sectors=(("servizi", 1.0), ("logistica", 1.0)),
)
_RESTRICTED_DEFAULT_WEIGHT = 0.2
# fmt: on


# ---------------------------------------------------------------------------------------
# Employers and staff of the Lodi area (fictional names).

# fmt: off
ITALIAN_MALE = ("Giuseppe", "Giovanni", "Luigi", "Angelo", "Carlo", "Franco", "Mario",
                "Paolo", "Stefano", "Massimo", "Roberto", "Davide", "Matteo", "Andrea")
ITALIAN_FEMALE = ("Maria", "Giovanna", "Rosa", "Angela", "Franca", "Luisa", "Anna", "Paola",
                  "Elena", "Chiara", "Silvia", "Laura", "Federica", "Marta")
ITALIAN_SURNAMES = ("Rossi", "Ferrari", "Colombo", "Bianchi", "Brambilla", "Galli", "Bassi",
                    "Fumagalli", "Sala", "Riva", "Cattaneo", "Bonetti", "Bergamaschi",
                    "Cremonesi", "Moroni", "Zanaboni", "Pedrazzini", "Bosoni", "Vailati",
                    "Cerri", "Codazzi", "Granata", "Lunghi", "Sfondrini", "Dossena")
# Belfiore codes of Italian towns where employers were born.
ITALIAN_BIRTHPLACES = (("E648", "Lodi"), ("F205", "Milano"), ("D150", "Cremona"),
                       ("G388", "Pavia"))
LODI_TOWNS = ("Lodi", "Codogno", "Casalpusterlengo", "Sant'Angelo Lodigiano", "Lodi Vecchio",
              "Tavazzano con Villavesco", "Zelo Buon Persico", "Borghetto Lodigiano",
              "Castiglione d'Adda", "Maleo", "Ospedaletto Lodigiano", "Somaglia",
              "Mulazzano", "Massalengo", "San Martino in Strada", "Livraga", "Orio Litta",
              "Guardamiglio", "Brembio", "Montanaso Lombardo", "Crespiatica", "Graffignana")
ROOTS = ("Adda", "Padana", "Lodigiana", "Muzza", "Bassa", "Lombarda", "Barbarossa", "Po",
         "Laus", "Sillaro")
CASCINE = ("Cascina Belvedere", "Cascina Colombara", "Cascina Maiocca", "Cascina San Giacomo",
           "Cascina Mirabello", "Cascina Ronchi", "Cascina Gaita", "Cascina Palazzina",
           "Cascina Costa", "Cascina Grande", "Cascina Muzza", "Cascina Santa Maria",
           "Cascina Pezzolo", "Cascina Bosco", "Cascina Valle")
SAINTS = ("Santa Chiara", "San Bassiano", "Santa Francesca Cabrini", "San Giuseppe",
          "Santa Savina", "San Fereolo", "Sant'Alberto")
VENUES = ("Il Barbarossa", "La Muzza", "Al Portico", "Del Broletto", "La Cascina",
          "Il Tortello", "Alla Torre", "Il Mulino", "La Raspadura")
PEC_DOMAINS = ("pec.it", "legalmail.it", "arubapec.it", "postecert.it")
# ISTAT province codes in the Partita IVA: Lodi 098, Milano 015, Cremona 019, Pavia 018.
VAT_OFFICES = ("098", "098", "098", "098", "015", "015", "019", "018")

DEMO_STAFF: tuple[tuple[str, str, OfficeKind, Role, bool], ...] = (
    ("rossi", "Giulia Rossi", OfficeKind.SUI, Role.SUI_CLERK, False),
    ("ferrari", "Luca Ferrari", OfficeKind.SUI, Role.SUI_CLERK, False),
    ("colombo", "Paola Colombo", OfficeKind.SUI, Role.SUI_CLERK, False),
    ("verdi", "Francesca Verdi", OfficeKind.SUI, Role.HEAD, True),
    ("bianchi", "Marco Bianchi", OfficeKind.QUESTURA, Role.QUESTURA_OFFICER, False),
    ("esposito", "Chiara Esposito", OfficeKind.QUESTURA, Role.QUESTURA_OFFICER, True),
    ("neri", "Alessandro Neri", OfficeKind.QUESTURA, Role.HEAD, True),
)
# fmt: on


# ---------------------------------------------------------------------------------------
# What people write in the history.

# fmt: off
INTEGRAZIONI = ("contratto di soggiorno sottoscritto", "certificato di idoneità alloggiativa",
                "documentazione reddituale del datore di lavoro (modello 730/CU)",
                "copia del passaporto in corso di validità", "ricevuta del contributo",
                "certificato di nascita tradotto e legalizzato", "visura camerale aggiornata",
                "dichiarazione di disponibilità dell'alloggio")
PREAVVISI = ("capacità economica del datore di lavoro non dimostrata",
             "alloggio non idoneo secondo i parametri regionali",
             "parere contrario della Questura", "requisiti reddituali non raggiunti",
             "documentazione incompleta dopo la richiesta di integrazione")
MOTIVI_OSTATIVI = ("segnalazione SIS ai fini della non ammissione",
                   "condanna per reati di cui all'art. 4 c. 3 TUI",
                   "precedenti penali del datore di lavoro (art. 22 c. 5-bis TUI)",
                   "pericolosità sociale accertata")
FINAL_NOTES: dict[str, tuple[str, ...]] = {
    DEFINITA_POSITIVA: ("provvedimento favorevole notificato", "rilascio completato"),
    RIGETTATA: ("provvedimento di rigetto notificato via PEC",),
    ARCHIVIATA: ("rinuncia del richiedente", "domanda inammissibile",
                 "rinuncia del datore di lavoro"),
}
STEP_NOTES: dict[tuple[str | None, str], tuple[str, ...]] = {
    (PRESENTATA, IN_ISTRUTTORIA): ("avvio dell'istruttoria", "pratica assegnata"),
    (IN_ISTRUTTORIA, PARERE_RICHIESTO): ("richiesta di parere sui motivi ostativi",),
    (INTEGRAZIONE_RICHIESTA, IN_ISTRUTTORIA): ("integrazione pervenuta",),
    (PREAVVISO_RIGETTO, IN_ISTRUTTORIA): ("osservazioni accolte",),
    (CONVOCATA, IN_ISTRUTTORIA): ("riconvocazione necessaria",),
    (INTEGRAZIONE_RICHIESTA, ARCHIVIATA): ("mancata integrazione nei termini",),
    (CONVOCATA, ARCHIVIATA): ("mancata presentazione alla convocazione",),
    (PRESENTATA, ARCHIVIATA): ("domanda inammissibile", "rinuncia del richiedente"),
}
TYPE_NOTES: dict[tuple[str, str], str] = {
    ("NO_LAVORO", DEFINITA_POSITIVA): "nulla osta rilasciato",
    ("NO_STAGIONALE", DEFINITA_POSITIVA): "nulla osta rilasciato",
    ("CARTA_BLU", DEFINITA_POSITIVA): "nulla osta rilasciato",
    ("CASI_PARTICOLARI", DEFINITA_POSITIVA): "nulla osta rilasciato",
    ("RICONGIUNGIMENTO", DEFINITA_POSITIVA): "nulla osta al ricongiungimento rilasciato",
    ("CONVERSIONE", DEFINITA_POSITIVA): "conversione accolta",
    ("CITTADINANZA", DEFINITA_POSITIVA): "decreto di concessione della cittadinanza",
    ("TEST_ITALIANO", DEFINITA_POSITIVA): "test superato",
    ("TEST_ITALIANO", RIGETTATA): "test non superato",
    ("ART18", DEFINITA_POSITIVA): "permesso per protezione sociale rilasciato",
    ("ART18TER", DEFINITA_POSITIVA): "permesso per vittime di sfruttamento rilasciato",
    ("TEST_ITALIANO", CONVOCATA): "convocazione alla sessione d'esame",
    ("CITTADINANZA", CONVOCATA): "convocazione per la verifica dei requisiti",
}
CONVOCATION_NOTE = "convocazione per la firma del contratto di soggiorno"

FLAG_TEXTS: dict[str, tuple[str, ...]] = {
    "documenti_mancanti": ("manca la copia del passaporto", "manca il contratto di lavoro",
                           "certificato di idoneità alloggiativa scaduto",
                           "manca la ricevuta del contributo"),
    "verifica_identita": ("generalità diverse tra passaporto e domanda",
                          "da verificare fotosegnalamento e CUI",
                          "data di nascita non corrispondente al codice fiscale"),
    "motivi_ostativi": ("possibile precedente penale da verificare",
                        "omonimia con soggetto segnalato"),
    "altro": ("richiesta di accesso agli atti del richiedente",
              "cambio di indirizzo PEC del datore di lavoro", "sollecito del patronato"),
}
FLAG_SUSPENDS = {"documenti_mancanti": 0.35, "verifica_identita": 0.2,
                 "motivi_ostativi": 0.3, "altro": 0.05}
FLAG_RESOLUTIONS = ("documenti ricevuti", "verificato", "chiarito con l'ufficio", "")
_FLAG_CATEGORY_WEIGHTS = {
    OfficeKind.SUI: (("documenti_mancanti", 5.0), ("verifica_identita", 2.0), ("altro", 2.0)),
    OfficeKind.QUESTURA: (("verifica_identita", 4.0), ("motivi_ostativi", 2.0),
                          ("documenti_mancanti", 2.0), ("altro", 1.0)),
}

# fmt: on
_OUTCOMES = {DEFINITA_POSITIVA: "positive", RIGETTATA: "rejected", ARCHIVIATA: "archived"}
_FATES = ("positive", "rejected", "archived")
# Days spent in a state before the next step, for a procedure with a 60-day term.
_DWELL: dict[str, tuple[float, float]] = {
    PRESENTATA: (1, 12),
    IN_ISTRUTTORIA: (4, 28),
    INTEGRAZIONE_RICHIESTA: (6, 30),
    PREAVVISO_RIGETTO: (10, 24),
    CONVOCATA: (7, 35),
}
_DEFAULT_DWELL = (3.0, 25.0)


# ---------------------------------------------------------------------------------------
# Identifiers.

_MONTH_LETTERS = "ABCDEHLMPRST"
_OMOCODIA = "LMNPQRSTUV"
_OMOCODIA_POSITIONS = (14, 13, 12, 10, 9, 7, 6)  # digits replaced right to left
_CF_YEARS = (1920, 2019)  # python-stdnum reads two-digit years in this window
_VOWELS = frozenset("AEIOU")


@lru_cache(maxsize=4096)
def _name_part(text: str, given: bool) -> str:
    letters = [ch for ch in fold(text).upper() if "A" <= ch <= "Z"]
    consonants = [ch for ch in letters if ch not in _VOWELS]
    vowels = [ch for ch in letters if ch in _VOWELS]
    if given and len(consonants) >= 4:
        return consonants[0] + consonants[2] + consonants[3]
    return ("".join(consonants + vowels) + "XXX")[:3]


def fiscal_code(
    surname: str, given_names: str, sex: str, birth: date, place: str, taken: set[str]
) -> str:
    """The codice fiscale; ``taken`` holds the codes already issued, for *omocodia*."""
    day = birth.day + (40 if sex == "F" else 0)
    base = (
        f"{_name_part(surname, False)}{_name_part(given_names, True)}"
        f"{birth.year % 100:02d}{_MONTH_LETTERS[birth.month - 1]}{day:02d}{place}"
    )
    code = base
    for count in range(len(_OMOCODIA_POSITIONS) + 1):
        code = _omocode(base, count)
        if code not in taken:
            break
    taken.add(code)
    return code + codicefiscale.calc_check_digit(code)


def _omocode(base: str, substitutions: int) -> str:
    chars = list(base)
    for position in _OMOCODIA_POSITIONS[:substitutions]:
        chars[position] = _OMOCODIA[int(chars[position])]
    return "".join(chars)


def partita_iva(serial: int, office: str) -> str:
    body = f"{serial:07d}{office}"
    return body + luhn.calc_check_digit(body)


def _uuid7(millis: int, sub: int, tail: int) -> int:
    """A version-7 UUID as an integer: ``millis`` timestamp, ``sub`` in rand_a (0–4095),
    ``tail`` 62 random bits. Ids made in filing order keep every B-tree insert at the end."""
    return (millis << 80) | ((0x7000 | sub) << 64) | (1 << 63) | tail


@lru_cache(maxsize=8192)
def _fold_name(text: str) -> str:
    return fold(text)


def _fold_code(text: str) -> str:
    # Codes made here are ASCII without spaces: folding them is lower-casing.
    return text.lower() if text.isascii() and " " not in text else fold(text)


def search_key_of(
    surname: str,
    given_names: str,
    protocol: str,
    application: str | None,
    fiscal: str | None,
    cui: str | None,
    passport: str | None,
) -> str:
    """``models.services.registration.search_key`` without a Dossier object: folding each
    part apart gives the same text, since the parts have no surrounding spaces."""
    parts = [_fold_name(surname), _fold_name(given_names), _fold_code(protocol)]
    parts.extend(_fold_code(p) for p in (application, fiscal, cui, passport) if p)
    return " ".join(p for p in parts if p)


# ---------------------------------------------------------------------------------------
# How values reach the driver.


@dataclass(frozen=True)
class Codec:
    """Ids and foreign keys in the form the driver receives them.

    SQLAlchemy stores a UUID as 32 hex digits where the database has no UUID type
    (SQLite) and as a UUID object elsewhere; building that form directly from the
    integer saves a UUID object and a conversion per row.
    """

    hex_ids: bool

    @classmethod
    def for_dialect(cls, dialect: Dialect) -> Codec:
        process = Uuid().dialect_impl(dialect).bind_processor(dialect)
        if process is None:
            return cls(hex_ids=False)
        probe = uuid.UUID(int=0x0123456789ABCDEF0123456789ABCDEF)
        if process(probe) != f"{probe.int:032x}":
            raise RuntimeError("rappresentazione degli UUID non prevista dal generatore")
        return cls(hex_ids=True)

    def new_id(self, value: int) -> Any:
        return f"{value:032x}" if self.hex_ids else uuid.UUID(int=value)

    def key(self, value: uuid.UUID) -> Any:
        return value.hex if self.hex_ids else value


# ---------------------------------------------------------------------------------------
# What the generator reads from the database.

Actor = tuple[Any, Any]  # staff id, office id (as the driver takes them)
Pool = tuple[list[Actor], list[float]]  # people and cumulative weights


@dataclass(frozen=True)
class OfficeInfo:
    key: Any
    code: str
    kind: OfficeKind
    province: str
    calendar: HolidayCalendar


@dataclass(frozen=True)
class RuleInfo:
    valid_from: date
    valid_to: date | None
    spec: TermSpec
    scale: float  # term relative to 60 days: slower procedures have longer phases


@dataclass(frozen=True)
class Employer:
    name: str
    fiscal_code: str
    pec: str


@dataclass
class TypeInfo:
    key: Any
    code: str
    lead: OfficeInfo
    restricted: bool
    requires_employer: bool
    workflow: Workflow
    moves: dict[str, list[Move]]
    rules: list[RuleInfo]
    profile: Profile
    nationalities: tuple[list[Community], list[float]]
    finals: dict[str, str]  # outcome -> final state
    starts: list[date] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starts = [rule.valid_from for rule in self.rules]

    @property
    def needs_parere(self) -> bool:
        return PARERE_RICHIESTO in self.workflow.states

    def rule_at(self, day: date) -> RuleInfo | None:
        """The rule ``models.deadlines.rule_for`` would pick, or None."""
        index = bisect_right(self.starts, day) - 1
        if index < 0:
            return None
        rule = self.rules[index]
        return rule if rule.valid_to is None or day <= rule.valid_to else None


@dataclass
class Setup:
    """Everything read or prepared once per run."""

    rnd: random.Random
    codec: Codec
    seed: int
    run: int
    today: date
    now: datetime
    types: list[TypeInfo]
    type_weights: list[float]
    offices: dict[OfficeKind, OfficeInfo]
    actors: dict[tuple[OfficeKind, bool], Pool]
    holder_offices: dict[tuple[Party, str], Any]
    parere_target: int
    employers: dict[str, list[Employer]]
    next_flag: int
    fiscal_codes: set[str] = field(default_factory=set)
    cuis: set[str] = field(default_factory=set)
    application_serial: int = 0


def _pick(rnd: random.Random, items: Sequence[_T], cum_weights: Sequence[float]) -> _T:
    """``rnd.choices(items, cum_weights=…)[0]`` without its per-call overhead."""
    return items[bisect_right(cum_weights, rnd.random() * cum_weights[-1])]


def _scale(spec: TermSpec) -> float:
    if spec.unit is TermUnit.MONTHS:
        days = spec.term * 30.44
    elif spec.unit is TermUnit.WORKING_DAYS:
        days = spec.term * 7 / 6
    else:
        days = float(spec.term)
    return min(max(days / 60, 0.35), 15.0)


def _load_rules(session: Session, type_id: uuid.UUID) -> list[RuleInfo]:
    rules = session.scalars(
        select(TermRule)
        .where(TermRule.procedure_type_id == type_id, TermRule.deleted_at.is_(None))
        .order_by(TermRule.valid_from)
    )
    result = []
    for rule in rules:
        spec = term_spec(rule)
        result.append(RuleInfo(rule.valid_from, rule.valid_to, spec, _scale(spec)))
    return result


def _nationality_weights(profile: Profile) -> tuple[list[Community], list[float]]:
    bias = dict(profile.nationality_bias)
    people = [c for c in COMMUNITIES if profile.eu_allowed or not c.eu]
    weights = [c.weight * bias.get(c.nationality, 1.0) for c in people]
    return people, list(accumulate(weights))


def _finals(workflow: Workflow) -> dict[str, str]:
    finals: dict[str, str] = {}
    for code, info in workflow.states.items():
        if info.final:
            finals.setdefault(_OUTCOMES.get(code, "archived"), code)
    return finals


def _load_types(
    session: Session, offices: dict[OfficeKind, OfficeInfo], codec: Codec
) -> list[TypeInfo]:
    types = []
    procedures = session.scalars(
        select(ProcedureType)
        .where(ProcedureType.deleted_at.is_(None), ProcedureType.active.is_(True))
        .order_by(ProcedureType.code)
    )
    for procedure in procedures:
        lead = offices.get(OfficeKind(procedure.lead_office))
        rules = _load_rules(session, procedure.id)
        workflow = load_workflow(session, procedure)
        if lead is None or not rules or not workflow.states:
            continue
        moves: dict[str, list[Move]] = {}
        for move in sorted(workflow.moves, key=lambda m: (m.from_state, m.to_state)):
            if move.to_state in workflow.states:
                moves.setdefault(move.from_state, []).append(move)
        profile = PROFILES.get(procedure.code, DEFAULT_PROFILE)
        types.append(
            TypeInfo(
                key=codec.key(procedure.id),
                code=procedure.code,
                lead=lead,
                restricted=procedure.restricted,
                requires_employer="employer_name" in procedure.required_fields.split(","),
                workflow=workflow,
                moves=moves,
                rules=rules,
                profile=profile,
                nationalities=_nationality_weights(profile),
                finals=_finals(workflow),
            )
        )
    return types


def _type_weight(kind: TypeInfo) -> float:
    if kind.code in PROFILES:
        return kind.profile.weight
    return _RESTRICTED_DEFAULT_WEIGHT if kind.restricted else DEFAULT_PROFILE.weight


def _load_offices(session: Session, codec: Codec) -> dict[OfficeKind, OfficeInfo]:
    """The first office of each kind (by code) leads and protocols the demo files."""
    offices: dict[OfficeKind, OfficeInfo] = {}
    for office in session.scalars(
        select(Office).where(Office.deleted_at.is_(None)).order_by(Office.code)
    ):
        kind = OfficeKind(office.kind)
        if kind not in offices:
            offices[kind] = OfficeInfo(
                codec.key(office.id),
                office.code,
                kind,
                office.province,
                calendar_for(office.province, office.patron_day),
            )
    return offices


def _ensure_staff(session: Session) -> None:
    offices = {
        OfficeKind(o.kind): o.id
        for o in session.scalars(
            select(Office).where(Office.deleted_at.is_(None)).order_by(Office.code.desc())
        )
    }
    existing = set(session.scalars(select(Staff.username)))
    for username, full_name, kind, role, restricted in DEMO_STAFF:
        if username not in existing and kind in offices:
            session.add(
                Staff(
                    username=username,
                    full_name=full_name,
                    office_id=offices[kind],
                    role=role.value,
                    restricted_access=restricted,
                )
            )
    session.flush()


def _load_actors(session: Session, codec: Codec) -> dict[tuple[OfficeKind, bool], Pool]:
    """Staff who act for each office, with weights (clerks work more files than heads);
    the ``True`` pools hold those who may see restricted dossiers."""
    rows = session.execute(
        select(Staff.id, Staff.office_id, Staff.role, Staff.restricted_access, Office.kind)
        .join(Office, Staff.office_id == Office.id)
        .where(Staff.active.is_(True), Staff.deleted_at.is_(None))
        .order_by(Staff.username)
    ).all()
    clerk_role = {
        OfficeKind.SUI: Role.SUI_CLERK.value,
        OfficeKind.QUESTURA: Role.QUESTURA_OFFICER.value,
    }
    pools: dict[tuple[OfficeKind, bool], Pool] = {}
    for kind in OfficeKind:
        for restricted in (False, True):
            members: list[Actor] = []
            weights: list[float] = []
            for staff_id, office_id, role, access, office_kind in rows:
                if office_kind != kind.value or (restricted and not access):
                    continue
                if role in (clerk_role[kind], Role.HEAD.value):
                    members.append((codec.key(staff_id), codec.key(office_id)))
                    weights.append(4.0 if role == clerk_role[kind] else 1.0)
            if members:
                pools[(kind, restricted)] = (members, list(accumulate(weights)))
    return pools


def _holder_offices(
    session: Session, types: list[TypeInfo], codec: Codec
) -> dict[tuple[Party, str], Any]:
    """Holder office per party, from the same query ``refresh_derived`` uses."""
    result: dict[tuple[Party, str], Any] = {}
    for province in sorted({t.lead.province for t in types}):
        for party in Party:
            office = office_for_party(session, party, province)
            result[(party, province)] = codec.key(office.id) if office else None
    return result


def _parere_target(session: Session) -> int:
    return read_parere_target(session)


def _next_run(session: Session, seed: int) -> int:
    setting = session.get(Setting, RUNS_SETTING)
    runs: dict[str, int] = json.loads(setting.value) if setting else {}
    run = runs.get(str(seed), 0) + 1
    runs[str(seed)] = run
    if setting is None:
        session.add(Setting(key=RUNS_SETTING, value=json.dumps(runs, sort_keys=True)))
    else:
        setting.value = json.dumps(runs, sort_keys=True)
    return run


def _load_setup(session: Session, today: date, seed: int, count: int) -> Setup:
    codec = Codec.for_dialect(session.connection().dialect)
    offices = _load_offices(session, codec)
    if set(offices) != set(OfficeKind):
        raise NotFound("la demo richiede un ufficio SUI e un ufficio della Questura")
    types = _load_types(session, offices, codec)
    if not types:
        raise NotFound("nessun tipo di pratica attivo con regole sui termini: niente da generare")
    _ensure_staff(session)
    actors = _load_actors(session, codec)
    for kind in OfficeKind:
        if (kind, False) not in actors:
            raise NotFound(f"nessun utente dell'ufficio {offices[kind].code} per la demo")
    run = _next_run(session, seed)
    rnd = random.Random(seed if run == 1 else f"{seed}/{run}")
    return Setup(
        rnd=rnd,
        codec=codec,
        seed=seed,
        run=run,
        today=today,
        now=datetime.now(UTC),
        types=types,
        type_weights=list(accumulate(_type_weight(t) for t in types)),
        offices=offices,
        actors=actors,
        holder_offices=_holder_offices(session, types, codec),
        parere_target=_parere_target(session),
        employers=_employer_pools(rnd, types, count),
        next_flag=(session.scalar(select(func.max(Flag.number))) or 0) + 1,
    )


# ---------------------------------------------------------------------------------------
# Employers.


def _italian_person(rnd: random.Random) -> tuple[str, str, str, date, str]:
    sex = "F" if rnd.random() < 0.6 else "M"
    given = rnd.choice(ITALIAN_FEMALE if sex == "F" else ITALIAN_MALE)
    surname = rnd.choice(ITALIAN_SURNAMES)
    birth = date(rnd.randint(1940, 1985), rnd.randint(1, 12), rnd.randint(1, 28))
    place = rnd.choice(ITALIAN_BIRTHPLACES)[0]
    return surname, given, sex, birth, place


def _company_name(rnd: random.Random, sector: str) -> str:
    surname, given = rnd.choice(ITALIAN_SURNAMES), rnd.choice(ITALIAN_MALE)
    root, town = rnd.choice(ROOTS), rnd.choice(LODI_TOWNS)
    options: dict[str, tuple[str, ...]] = {
        "agricoltura": (
            f"Azienda Agricola {rnd.choice(CASCINE)} di {surname} {given}",
            f"Società Agricola {surname} e Figli S.S.",
            f"{rnd.choice(CASCINE)} Società Agricola S.S.",
            f"Allevamento {surname} S.S. Agricola",
            f"Latteria Sociale di {town} Soc. Coop. Agricola",
        ),
        "logistica": (
            f"{root} Logistica S.r.l.",
            f"Trasporti {surname} S.r.l.",
            f"Magazzini {root} S.p.A.",
            f"{root} Servizi Logistici Soc. Coop.",
            f"Logistica {town} S.r.l.",
        ),
        "edilizia": (
            f"Edil {surname} S.r.l.",
            f"Costruzioni {surname} & C. S.a.s.",
            f"Impresa Edile {surname} {given}",
            f"{root} Costruzioni S.r.l.",
        ),
        "ristorazione": (
            f"Ristorante {rnd.choice(VENUES)} di {surname} & C. S.n.c.",
            f"Trattoria {rnd.choice(VENUES)} S.n.c.",
            f"Pizzeria {rnd.choice(VENUES)} S.r.l.s.",
            f"Bar {root} S.n.c.",
        ),
        "servizi": (
            f"Cooperativa Sociale {root} Onlus",
            f"{root} Multiservizi Soc. Coop.",
            f"Pulizie {root} S.r.l.",
            f"Global Service {town} S.r.l.",
        ),
        "sanita": (
            f"Fondazione {rnd.choice(SAINTS)} Onlus – RSA",
            f"RSA {rnd.choice(SAINTS)} S.r.l.",
            f"Casa di Cura {rnd.choice(SAINTS)} S.p.A.",
            f"Cooperativa Sanitaria {root} Soc. Coop.",
        ),
        "tecnologia": (
            f"{root} Biotech S.r.l.",
            f"{root} Digital S.r.l.",
            f"{root} Engineering S.p.A.",
            f"{root} Agritech S.r.l.",
            f"{root} Data Lab S.r.l.",
        ),
    }
    return rnd.choice(options.get(sector, options["servizi"]))


_LEGAL_WORDS = frozenset(
    {
        "s.r.l.",
        "s.p.a.",
        "s.n.c.",
        "s.a.s.",
        "s.s.",
        "soc.",
        "coop.",
        "di",
        "e",
        "&",
        "c.",
        "s.r.l.s.",
        "onlus",
        "–",
    }
)


def _pec_for(rnd: random.Random, name: str) -> str:
    words = [w for w in fold(name).replace("'", " ").split() if w not in _LEGAL_WORDS]
    slug = "".join(ch for ch in "".join(words) if ch.isalnum())[:28]
    return f"{slug}@{rnd.choice(PEC_DOMAINS)}"


def _make_employer(rnd: random.Random, sector: str, taken: set[str]) -> Employer:
    if sector == "domestico":  # a family employing a carer: a person, without PEC
        surname, given, sex, birth, place = _italian_person(rnd)
        return Employer(
            f"{given} {surname}", fiscal_code(surname, given, sex, birth, place, taken), ""
        )
    name = _company_name(rnd, sector)
    vat = partita_iva(rnd.randint(1, 3_999_999), rnd.choice(VAT_OFFICES))
    return Employer(name, vat, _pec_for(rnd, name))


def _employer_pools(
    rnd: random.Random, types: list[TypeInfo], count: int
) -> dict[str, list[Employer]]:
    sectors = sorted({s for t in types for s, _ in t.profile.sectors} - {"famiglia"})
    size = min(max(count // 250, 12), 2000)
    taken: set[str] = set()
    return {s: [_make_employer(rnd, s, taken) for _ in range(size)] for s in sectors}


def _pick_employer(setup: Setup, kind: TypeInfo, person: Person) -> Employer | None:
    profile, rnd = kind.profile, setup.rnd
    if not profile.sectors or not (kind.requires_employer or rnd.random() < profile.employer_share):
        return None
    sectors = [s for s, _ in profile.sectors]
    sector = _pick(rnd, sectors, list(accumulate(w for _, w in profile.sectors)))
    if sector == "famiglia":
        return _sponsor(setup, person)
    pool = setup.employers[sector]
    # A few employers file most applications (farms hiring every season).
    return pool[int(len(pool) * rnd.random() ** 2.2)]


def _sponsor(setup: Setup, person: Person) -> Employer:
    """The relative living in Italy who applies for family reunification."""
    rnd = setup.rnd
    community = _COMMUNITY[person.nationality]
    sex = "M" if rnd.random() < 0.75 else "F"
    given = rnd.choice(community.male if sex == "M" else community.female)
    surname = person.surname if rnd.random() < 0.7 else rnd.choice(community.surnames)
    birth = date(rnd.randint(1960, 1995), rnd.randint(1, 12), rnd.randint(1, 28))
    code = fiscal_code(surname, given, sex, birth, community.belfiore, setup.fiscal_codes)
    return Employer(f"{given} {surname}", code, "")


# ---------------------------------------------------------------------------------------
# People.

_COMMUNITY = {c.nationality: c for c in COMMUNITIES}


@dataclass(frozen=True)
class Person:
    surname: str
    given_names: str
    sex: str
    birth_date: date
    birth_place: str
    nationality: str
    passport: str | None
    fiscal_code: str | None
    cui: str | None


_UPPER = "ABCDEFGHIJKLMNPQRSTUVWXYZ"  # no O: documents avoid it beside zeros
_CUI_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def _passport(rnd: random.Random, spec: tuple[str, int, int]) -> str:
    literal, letters, digits = spec
    head = "".join(_UPPER[int(rnd.random() * 25)] for _ in range(letters))
    return f"{literal}{head}{int(rnd.random() * 10**digits):0{digits}d}"


def _cui(setup: Setup) -> str:
    rnd = setup.rnd
    while True:
        code = f"{int(rnd.random() * 100):02d}" + "".join(
            _CUI_CHARS[int(rnd.random() * 34)] for _ in range(5)
        )
        if code not in setup.cuis:
            setup.cuis.add(code)
            return code


def _birth_date(rnd: random.Random, profile: Profile, filed: date) -> date:
    bands = profile.ages
    band = bands[0] if len(bands) == 1 else rnd.choices(bands, [b[0] for b in bands])[0]
    days = int((band[1] + rnd.random() * (band[2] + 1 - band[1])) * 365.25)
    return filed - timedelta(days=max(days, 366))


def _person(setup: Setup, kind: TypeInfo, filed: date, closed_positive: bool) -> Person:
    rnd, profile = setup.rnd, kind.profile
    community = _pick(rnd, *kind.nationalities)
    sex = "F" if rnd.random() < profile.female_share else "M"
    given = rnd.choice(community.female if sex == "F" else community.male)
    surnames = community.female_surnames if sex == "F" and community.female_surnames else None
    surname = rnd.choice(surnames or community.surnames)
    birth = _birth_date(rnd, profile, filed)
    # Workers who arrived after the nulla osta have since got a codice fiscale and a CUI.
    arrived = 0.5 if closed_positive else 0.0
    code = None
    if _CF_YEARS[0] <= birth.year <= _CF_YEARS[1] and rnd.random() < max(
        profile.fiscal_code_share, arrived
    ):
        code = fiscal_code(surname, given, sex, birth, community.belfiore, setup.fiscal_codes)
    cui = _cui(setup) if rnd.random() < max(profile.cui_share, arrived * 0.8) else None
    passport = None
    if rnd.random() < profile.passport_share:
        passport = _passport(rnd, community.passport)
    return Person(
        surname,
        given,
        sex,
        birth,
        rnd.choice(community.cities),
        community.nationality,
        passport,
        code,
        cui,
    )


# ---------------------------------------------------------------------------------------
# Histories: a walk through the type's workflow tables.


def _actor(setup: Setup, kind: OfficeKind, restricted: bool) -> Actor:
    members, cum = setup.actors.get((kind, restricted)) or setup.actors[(kind, False)]
    return _pick(setup.rnd, members, cum)


@dataclass
class Crew:
    """Who handles one dossier: mostly the same clerk in each office."""

    setup: Setup
    restricted: bool
    primary: dict[OfficeKind, Actor] = field(default_factory=dict)

    def pick(self, kind: OfficeKind) -> Actor:
        primary = self.primary.get(kind)
        if primary is None:
            primary = self.primary[kind] = _actor(self.setup, kind, self.restricted)
        elif self.setup.rnd.random() >= 0.8:
            return _actor(self.setup, kind, self.restricted)
        return primary


@dataclass
class Step:
    on: date
    kind: str  # EventKind value
    from_state: str | None
    to_state: str | None
    actor: Actor
    note: str = ""


@dataclass
class ParereDraft:
    requested_on: date
    requested_by: Actor
    given_on: date | None = None
    outcome: str | None = None
    reasons: str = ""
    officer: Actor | None = None


@dataclass
class FlagDraft:
    number: int
    category: str
    text: str
    suspends: bool
    raised_by: OfficeKind
    raiser: Actor
    raised_on: date
    resolved_on: date | None
    resolver: Actor | None
    resolution_note: str


@dataclass
class Walk:
    kind: TypeInfo
    rule: RuleInfo
    fate: str
    pace: float
    crew: Crew
    state: str
    day: date
    steps: list[Step]
    pareri: list[ParereDraft] = field(default_factory=list)
    pending: ParereDraft | None = None
    parere_done: bool = False
    visits: Counter[str] = field(default_factory=Counter)


def _pace(rnd: random.Random) -> float:
    """How fast this file moves: most on time, some slow, a few forgotten on a desk."""
    draw = rnd.random()
    if draw < 0.62:
        return rnd.uniform(0.6, 1.1)
    if draw < 0.90:
        return rnd.uniform(1.1, 2.0)
    if draw < 0.98:
        return rnd.uniform(2.0, 4.0)
    return rnd.uniform(4.0, 8.0)


def _dwell(setup: Setup, walk: Walk) -> int:
    """Days the file stays in its current state before the next step."""
    rnd, state = setup.rnd, walk.state
    if state == PARERE_RICHIESTO:
        target = setup.parere_target * math.sqrt(walk.rule.scale)
        if rnd.random() < 0.18:  # the Questura answers late
            return round(rnd.uniform(1.3, 4.0) * target)
        return max(round(rnd.triangular(0.25, 1.3, 0.6) * target), 1)
    low, high = _DWELL.get(state, _DEFAULT_DWELL)
    if walk.kind.workflow.states[state].holder is Party.APPLICANT:
        if state == INTEGRAZIONE_RICHIESTA and rnd.random() < 0.12:
            return 31 + int(rnd.random() * 45)  # beyond the 30 days allowed: an anomaly
        return round(low + rnd.random() * (high - low))
    days = rnd.triangular(low, high, low + (high - low) / 3) * walk.rule.scale * walk.pace
    return max(round(days), 1)


def _final_weight(walk: Walk, target: str) -> float:
    outcome = _OUTCOMES.get(target, "archived")
    if outcome != walk.fate:
        return 0.0
    if outcome == "positive":
        if walk.kind.needs_parere and not walk.parere_done:
            return 0.0
        return 1.0 if walk.state == IN_ISTRUTTORIA else 8.0
    if outcome == "archived" and walk.state == PRESENTATA:
        return 2.0
    return 8.0


def _convocation_weight(walk: Walk, ready: bool) -> float:
    """A summons leads to the outcome: positive, or a failed test where no 10-bis exists."""
    if not ready:
        return 0.3
    if walk.fate == "positive":
        return 6.0
    if walk.fate == "rejected" and PREAVVISO_RIGETTO not in walk.kind.workflow.states:
        return 6.0
    return 0.3


def _step_weight(walk: Walk, move: Move) -> float:
    target, fate, state = move.to_state, walk.fate, walk.state
    if walk.kind.workflow.states[target].final:
        return _final_weight(walk, target)
    ready = walk.parere_done or not walk.kind.needs_parere
    if target == IN_ISTRUTTORIA:
        if state == PREAVVISO_RIGETTO:
            return 1.2 if fate == "rejected" else 8.0
        return {PRESENTATA: 5.0, INTEGRAZIONE_RICHIESTA: 10.0, CONVOCATA: 0.3}.get(state, 1.5)
    if target == PARERE_RICHIESTO:
        weight = 0.15 if walk.parere_done else 8.0
    elif target == CONVOCATA:
        weight = _convocation_weight(walk, ready)
    elif target == PREAVVISO_RIGETTO:
        weight = 6.0 if ready and fate == "rejected" else 0.05
    else:
        weight = 1.0
    return weight * _REVISIT ** walk.visits[target]


def _choose_move(setup: Setup, walk: Walk) -> Move | None:
    moves = [
        m
        for m in walk.kind.moves.get(walk.state, ())
        if not m.via_parere or walk.pending is not None
    ]
    if not moves:
        return None
    cum = list(accumulate(_step_weight(walk, m) for m in moves))
    if cum[-1] <= 0:
        return setup.rnd.choice(moves)
    return _pick(setup.rnd, moves, cum)


def _note(setup: Setup, walk: Walk, move: Move) -> str:
    rnd, target = setup.rnd, move.to_state
    if target == INTEGRAZIONE_RICHIESTA:
        return "richiesta integrazione: " + rnd.choice(INTEGRAZIONI)
    if target == PREAVVISO_RIGETTO:
        return "preavviso di rigetto (art. 10-bis L. 241/1990): " + rnd.choice(PREAVVISI)
    if (walk.kind.code, target) in TYPE_NOTES:
        return TYPE_NOTES[(walk.kind.code, target)]
    if (move.from_state, target) in STEP_NOTES:
        return rnd.choice(STEP_NOTES[(move.from_state, target)])
    if target == CONVOCATA:
        return CONVOCATION_NOTE
    return rnd.choice(FINAL_NOTES.get(target, ("",)))


def _give_parere(setup: Setup, walk: Walk, actor: Actor, day: date) -> str:
    pending = walk.pending
    assert pending is not None
    hostile = setup.rnd.random() < (0.45 if walk.fate == "rejected" else 0.02)
    pending.given_on, pending.officer = day, actor
    if hostile:
        pending.outcome = ParereOutcome.MOTIVI_OSTATIVI.value
        pending.reasons = setup.rnd.choice(MOTIVI_OSTATIVI)
        walk.fate = "rejected"
    else:
        pending.outcome = ParereOutcome.FAVOREVOLE.value
    walk.pending, walk.parere_done = None, True
    return pending.outcome + (f": {pending.reasons}" if pending.reasons else "")


def _advance(setup: Setup, walk: Walk, move: Move, day: date) -> None:
    kind = EventKind.TRANSITION.value
    actor = walk.crew.pick(move.actor_office)
    if move.via_parere:
        kind = EventKind.PARERE_GIVEN.value
        note = _give_parere(setup, walk, actor, day)
    else:
        note = _note(setup, walk, move)
    walk.steps.append(Step(day, kind, walk.state, move.to_state, actor, note))
    if move.to_state == PARERE_RICHIESTO:  # as the workflow service does
        walk.pending = ParereDraft(day, actor)
        walk.pareri.append(walk.pending)
    if walk.state == PREAVVISO_RIGETTO and move.to_state == IN_ISTRUTTORIA:
        walk.fate = "positive"  # the applicant's observations were accepted
    walk.state, walk.day = move.to_state, day
    walk.visits[move.to_state] += 1


def _walk(setup: Setup, kind: TypeInfo, rule: RuleInfo, filed: date, start: date) -> Walk:
    rnd = setup.rnd
    fate = rnd.choices(_FATES, kind.profile.fates)[0]
    initial = kind.workflow.initial_state
    crew = Crew(setup, kind.restricted)
    registered = Step(
        filed, EventKind.REGISTERED.value, None, initial, crew.pick(kind.lead.kind), "registrazione"
    )
    walk = Walk(kind, rule, fate, _pace(rnd), crew, initial, start, [registered])
    walk.visits[initial] += 1
    for _ in range(_MAX_STEPS):
        if kind.workflow.states[walk.state].final:
            break
        move = _choose_move(setup, walk)
        if move is None:
            break
        day = walk.day + timedelta(days=_dwell(setup, walk))
        if day > setup.today:
            break  # still waiting: the file is open in this state
        _advance(setup, walk, move, day)
    return walk


def _other(kind: OfficeKind) -> OfficeKind:
    return OfficeKind.QUESTURA if kind is OfficeKind.SUI else OfficeKind.SUI


def _flags(setup: Setup, walk: Walk, filed: date, closed: date | None) -> list[FlagDraft]:
    rnd = setup.rnd
    span = ((closed or setup.today) - filed).days
    if span < 2 or rnd.random() >= 0.12:
        return []
    lead = walk.kind.lead.kind
    drafts = []
    for _ in range(1 if rnd.random() < 0.85 else 2):
        raised_by = lead if rnd.random() < 0.55 else _other(lead)
        options = _FLAG_CATEGORY_WEIGHTS[raised_by]
        category = rnd.choices([c for c, _ in options], [w for _, w in options])[0]
        raised = filed + timedelta(days=1 + int(rnd.random() * (span - 1)))
        due = raised + timedelta(days=round(rnd.triangular(1, 60, 8)))
        resolved = min(due, closed) if closed else (due if due <= setup.today else None)
        drafts.append(
            FlagDraft(
                setup.next_flag,
                category,
                rnd.choice(FLAG_TEXTS[category]),
                rnd.random() < FLAG_SUSPENDS[category],
                raised_by,
                walk.crew.pick(raised_by),
                raised,
                resolved,
                walk.crew.pick(_other(raised_by)) if resolved else None,
                rnd.choice(FLAG_RESOLUTIONS) if resolved else "",
            )
        )
        setup.next_flag += 1
    return drafts


# ---------------------------------------------------------------------------------------
# Planning: filing dates, then protocol numbers in filing order.


@dataclass(frozen=True)
class Planned:
    millis: int  # filing instant, also the timestamp of the ids
    type_index: int
    filed_on: date
    protocol_number: int


_OFFICE_OPEN_S = 7 * 3600  # UTC: 8–17 in Rome in winter, 9–18 in summer
_OFFICE_SPAN_S = 9 * 3600


def _filing_days(setup: Setup) -> tuple[list[date], list[float]]:
    """Days of the window with their weight: applications come mostly on working days."""
    start = add_months(setup.today, -12 * YEARS_BACK) + timedelta(days=1)
    calendar = setup.offices[OfficeKind.SUI].calendar
    days, weights = [], []
    day = start
    while day <= setup.today:
        if calendar.is_holiday(day) or day.weekday() == 6:
            weight = 0.08
        else:
            weight = 0.3 if day.weekday() == 5 else 1.0
        days.append(day)
        weights.append(weight)
        day += timedelta(days=1)
    return days, list(accumulate(weights))


def _draw_filing(setup: Setup, days: list[date], cum: list[float]) -> tuple[int, date]:
    rnd, indexes = setup.rnd, range(len(setup.types))
    for _ in range(50):
        index = _pick(rnd, indexes, setup.type_weights)
        filed = _pick(rnd, days, cum)
        if setup.types[index].rule_at(filed) is not None:
            return index, filed
    raise NotFound("nessuna regola sui termini copre gli ultimi anni: niente da generare")


def _plan(
    setup: Setup, count: int, counters: dict[tuple[Any, int], int]
) -> tuple[list[Planned], dict[tuple[Any, int], int]]:
    """Filing dates in order, and protocol numbers following the counters (gapless)."""
    days, cum = _filing_days(setup)
    drafts = []
    for _ in range(count):
        index, filed = _draw_filing(setup, days, cum)
        midnight = int(datetime(filed.year, filed.month, filed.day, tzinfo=UTC).timestamp())
        seconds = _OFFICE_OPEN_S + setup.rnd.random() * _OFFICE_SPAN_S
        drafts.append((midnight * 1000 + int(seconds * 1000), index, filed))
    drafts.sort()
    numbers = dict(counters)
    planned, previous = [], 0
    for millis, index, filed in drafts:
        millis = max(millis, previous + 1)  # strictly increasing: ids stay ordered
        previous = millis
        key = (setup.types[index].lead.key, filed.year)
        numbers[key] = numbers.get(key, 0) + 1
        planned.append(Planned(millis, index, filed, numbers[key]))
    return planned, numbers


def _reserve_counters(session: Session, setup: Setup, years: range) -> dict[tuple[Any, int], int]:
    """The last protocol number used per lead office and year, locked until commit (on
    SQLite the write transaction already holds the lock), as ``next_protocol_number``
    does: a registration made meanwhile waits and then continues after the demo."""
    result: dict[tuple[Any, int], int] = {}
    postgres = session.connection().dialect.name == "postgresql"
    for office in {t.lead.code: t.lead for t in setup.types}.values():
        office_id = session.scalar(select(Office.id).where(Office.code == office.code))
        for year in years:
            if postgres:
                session.execute(
                    pg_insert(ProtocolCounter)
                    .values(office_id=office_id, year=year, last_number=0)
                    .on_conflict_do_nothing()
                )
            counter = session.scalar(
                select(ProtocolCounter.last_number)
                .where(ProtocolCounter.office_id == office_id, ProtocolCounter.year == year)
                .with_for_update()
            )
            used = session.scalar(
                select(func.max(Dossier.protocol_number)).where(
                    Dossier.protocol_office_id == office_id, Dossier.protocol_year == year
                )
            )
            result[(office.key, year)] = max(counter or 0, used or 0)
    return result


def _save_counters(
    session: Session,
    setup: Setup,
    before: dict[tuple[Any, int], int],
    after: dict[tuple[Any, int], int],
) -> None:
    office_ids = {o.key: o.code for o in setup.offices.values()}
    for (key, year), last in after.items():
        if last == before.get((key, year), 0):
            continue
        office_id = session.scalar(select(Office.id).where(Office.code == office_ids[key]))
        exists = session.scalar(
            select(ProtocolCounter.year).where(
                ProtocolCounter.office_id == office_id, ProtocolCounter.year == year
            )
        )
        if exists is None:
            session.execute(
                insert(ProtocolCounter).values(office_id=office_id, year=year, last_number=last)
            )
        else:
            session.execute(
                update(ProtocolCounter)
                .where(ProtocolCounter.office_id == office_id, ProtocolCounter.year == year)
                .values(last_number=last)
            )


# ---------------------------------------------------------------------------------------
# Rows, as tuples in these column orders.

DOSSIER_COLUMNS = (
    "id",
    "version",
    "protocol_office_id",
    "protocol_year",
    "protocol_number",
    "application_code",
    "procedure_type_id",
    "state",
    "holder",
    "holder_office_id",
    "filed_on",
    "quota_assigned_on",
    "closed_on",
    "restricted",
    "surname",
    "given_names",
    "sex",
    "birth_date",
    "birth_place",
    "nationality",
    "passport",
    "fiscal_code",
    "cui",
    "employer_name",
    "employer_fiscal_code",
    "employer_pec",
    "search_key",
    "deadline",
    "clock_state",
    "suspended_days",
    "open_flags",
    "held_sui_days",
    "held_questura_days",
    "held_applicant_days",
)
EVENT_COLUMNS = (
    "id",
    "version",
    "dossier_id",
    "seq",
    "kind",
    "from_state",
    "to_state",
    "actor_id",
    "office_id",
    "entered_at",
    "effective_on",
    "note",
)
PARERE_COLUMNS = (
    "id",
    "version",
    "dossier_id",
    "requested_on",
    "requested_by_id",
    "given_on",
    "outcome",
    "reasons",
    "officer_id",
)
FLAG_COLUMNS = (
    "id",
    "version",
    "dossier_id",
    "number",
    "category",
    "text",
    "suspends",
    "raised_by_office_id",
    "for_office_id",
    "raised_by_id",
    "raised_on",
    "resolved_by_id",
    "resolved_on",
    "resolution_note",
)


@dataclass
class Batch:
    dossiers: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    pareri: list[tuple[Any, ...]] = field(default_factory=list)
    flags: list[tuple[Any, ...]] = field(default_factory=list)


def _entered_at(setup: Setup, day: date) -> datetime:
    """When the event was typed in: office hours, sometimes a few days late."""
    draw = setup.rnd.random()
    late = 1 + int(draw * 20) if draw < 0.15 else 0
    seconds = _OFFICE_OPEN_S + int(setup.rnd.random() * _OFFICE_SPAN_S)
    moment = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
        days=late, seconds=seconds
    )
    return min(moment, setup.now)


def _application_code(setup: Setup, kind: TypeInfo, year: int) -> str | None:
    letter = kind.profile.code_letter
    if letter is None or setup.rnd.random() < 0.03:  # a few filed on paper
        return None
    setup.application_serial += 1
    # The seed and run make codes unique across demo runs on one database.
    return (
        f"P-{kind.lead.province}/{letter}/{year}/"
        f"D{setup.seed}R{setup.run}-{setup.application_serial:06d}"
    )


def _quota_date(setup: Setup, rule: RuleInfo, filed: date) -> date | None:
    if rule.spec.start is not TermStart.QUOTA_ASSIGNMENT:
        return None
    return min(filed + timedelta(days=3 + int(setup.rnd.random() * 38)), setup.today)


def _events(walk: Walk, flags: list[FlagDraft]) -> list[Step]:
    steps = list(walk.steps)
    for flag in flags:
        note = f"#{flag.number} {FLAG_CATEGORIES[flag.category]}: {flag.text}"
        if flag.suspends:
            note += " (sospende il termine)"
        steps.append(
            Step(flag.raised_on, EventKind.FLAG_RAISED.value, None, None, flag.raiser, note)
        )
        if flag.resolved_on is not None and flag.resolver is not None:
            resolution = f"#{flag.number} risolta" + (
                f": {flag.resolution_note}" if flag.resolution_note else ""
            )
            steps.append(
                Step(
                    flag.resolved_on,
                    EventKind.FLAG_RESOLVED.value,
                    None,
                    None,
                    flag.resolver,
                    resolution,
                )
            )
    if flags:
        steps.sort(key=lambda s: s.on)  # stable: same-day events keep their order
    return steps


def _reading(
    setup: Setup, walk: Walk, flags: list[FlagDraft], filed: date, quota: date | None
) -> ClockReading:
    """The clock exactly as ``models.deadlines.read_clock`` feeds it."""
    states = walk.kind.workflow.states
    changes = []
    for step in walk.steps:
        if step.to_state is not None:
            info = states[step.to_state]
            changes.append(StateChange(step.on, info.code, info.clock, info.holder, info.final))
    suspensions = [Suspension(f.raised_on, f.resolved_on) for f in flags if f.suspends]
    return compute_clock(
        walk.rule.spec, filed, changes, suspensions, walk.kind.lead.calendar, setup.today, quota
    )


def _build(setup: Setup, item: Planned, batch: Batch) -> None:
    kind = setup.types[item.type_index]
    rule = kind.rule_at(item.filed_on)
    assert rule is not None
    filed = item.filed_on
    quota = _quota_date(setup, rule, filed)
    walk = _walk(setup, kind, rule, filed, quota or filed)
    final = kind.workflow.states[walk.state].final
    person = _person(setup, kind, filed, walk.state == kind.finals.get("positive"))
    employer = _pick_employer(setup, kind, person)
    flags = _flags(setup, walk, filed, walk.day if final else None)
    reading = _reading(setup, walk, flags, filed, quota)
    tail = setup.rnd.getrandbits(62)
    dossier_id = setup.codec.new_id(_uuid7(item.millis, 0, tail))
    events = _events(walk, flags)
    protocol = format_protocol(kind.lead.code, filed.year, item.protocol_number)
    application = _application_code(setup, kind, filed.year)
    holder = kind.workflow.states[walk.state].holder
    batch.dossiers.append(
        (
            dossier_id,
            len(events),
            kind.lead.key,
            filed.year,
            item.protocol_number,
            application,
            kind.key,
            walk.state,
            holder.value,
            setup.holder_offices[(holder, kind.lead.province)],
            filed,
            quota,
            reading.closed_on,
            kind.restricted,
            person.surname,
            person.given_names,
            person.sex,
            person.birth_date,
            person.birth_place,
            person.nationality,
            person.passport,
            person.fiscal_code,
            person.cui,
            employer.name if employer else "",
            employer.fiscal_code if employer else None,
            employer.pec if employer else "",
            search_key_of(
                person.surname,
                person.given_names,
                protocol,
                application,
                person.fiscal_code,
                person.cui,
                person.passport,
            ),
            reading.deadline,
            reading.status.value,
            reading.suspended_days,
            sum(1 for f in flags if f.resolved_on is None),
            *held_days_columns(reading),
        )
    )
    ids = _ChildIds(setup.codec, item.millis, tail, dossier_id)
    _event_rows(setup, ids, events, batch)
    _parere_rows(ids, walk.pareri, batch)
    _flag_rows(setup, ids, flags, batch)


@dataclass(frozen=True)
class _ChildIds:
    """Ids of a dossier's rows: its timestamp and random tail, a slot per row."""

    codec: Codec
    millis: int
    tail: int
    dossier_id: Any

    def make(self, slot: int) -> Any:
        return self.codec.new_id(_uuid7(self.millis, slot, self.tail))


_PARERE_SLOTS, _FLAG_SLOTS = 0x800, 0xC00  # events use slots 1…2047


def _event_rows(setup: Setup, ids: _ChildIds, events: list[Step], batch: Batch) -> None:
    for seq, step in enumerate(events):
        batch.events.append(
            (
                ids.make(1 + seq),
                1,
                ids.dossier_id,
                seq,
                step.kind,
                step.from_state,
                step.to_state,
                step.actor[0],
                step.actor[1],
                _entered_at(setup, step.on),
                step.on,
                step.note,
            )
        )


def _parere_rows(ids: _ChildIds, pareri: list[ParereDraft], batch: Batch) -> None:
    for index, parere in enumerate(pareri):
        batch.pareri.append(
            (
                ids.make(_PARERE_SLOTS + index),
                1 if parere.given_on is None else 2,
                ids.dossier_id,
                parere.requested_on,
                parere.requested_by[0],
                parere.given_on,
                parere.outcome,
                parere.reasons,
                parere.officer[0] if parere.officer else None,
            )
        )


def _flag_rows(setup: Setup, ids: _ChildIds, flags: list[FlagDraft], batch: Batch) -> None:
    for index, flag in enumerate(flags):
        batch.flags.append(
            (
                ids.make(_FLAG_SLOTS + index),
                1 if flag.resolved_on is None else 2,
                ids.dossier_id,
                flag.number,
                flag.category,
                flag.text,
                flag.suspends,
                setup.offices[flag.raised_by].key,
                setup.offices[_other(flag.raised_by)].key,
                flag.raiser[0],
                flag.raised_on,
                flag.resolver[0] if flag.resolver else None,
                flag.resolved_on,
                flag.resolution_note,
            )
        )


# ---------------------------------------------------------------------------------------
# Writing.


class TableFormat:
    """One table's rows as the driver takes them: in the statement's column order, with
    the dialect's own bind processors applied to dates, timestamps and booleans (ids come
    ready from the ``Codec``).

    The statement is compiled from a Core ``insert()``, but rows skip SQLAlchemy's per-row
    parameter handling, which at this volume costs more than the insert itself; on
    PostgreSQL they go through ``COPY``.
    """

    def __init__(self, dialect: Dialect, model: type[Any], columns: Sequence[str]) -> None:
        self.table = cast(Table, model.__table__)
        self.copy = dialect.name == "postgresql" and dialect.driver == "psycopg"
        compiled = insert(self.table).compile(dialect=dialect, column_keys=list(columns))
        order = tuple(columns)
        if not self.copy:
            order = tuple(compiled.positiontup or ()) if dialect.positional else ()
            if sorted(order) != sorted(columns):
                raise RuntimeError(f"driver {dialect.driver} non supportato dalla demo")
        self.order, self.sql = order, compiled.string
        self.reorder = itemgetter(*(list(columns).index(name) for name in order))
        self.processors = []
        for index, name in enumerate(order):
            column_type = self.table.c[name].type
            process = column_type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None and not isinstance(column_type, Uuid):
                self.processors.append((index, process))

    def encode(self, rows: list[tuple[Any, ...]]) -> list[Sequence[Any]]:
        if not self.processors:
            return [self.reorder(row) for row in rows]
        result: list[Sequence[Any]] = []
        for row in rows:
            values = list(self.reorder(row))
            for index, process in self.processors:
                if values[index] is not None:
                    values[index] = process(values[index])
            result.append(tuple(values))
        return result


Encoded = list[list[Sequence[Any]]]  # rows of each table in _TABLES, ready for the driver
_TOTALS = ("dossiers", "events", "pareri", "flags")
_TABLES: tuple[tuple[type[Any], tuple[str, ...]], ...] = (
    (Dossier, DOSSIER_COLUMNS),
    (DossierEvent, EVENT_COLUMNS),
    (Parere, PARERE_COLUMNS),
    (Flag, FLAG_COLUMNS),
)


def _formats(dialect: Dialect) -> list[TableFormat]:
    return [TableFormat(dialect, model, columns) for model, columns in _TABLES]


def _encode(batch: Batch, formats: list[TableFormat]) -> Encoded:
    tables = (batch.dossiers, batch.events, batch.pareri, batch.flags)
    return [fmt.encode(rows) for fmt, rows in zip(formats, tables, strict=True)]


def _write(connection: Connection, formats: list[TableFormat], encoded: Encoded) -> None:
    for fmt, rows in zip(formats, encoded, strict=True):
        if not rows:
            continue
        if fmt.copy:
            _copy(connection, fmt, rows)
        else:
            connection.exec_driver_sql(fmt.sql, rows)


def _copy(connection: Connection, fmt: TableFormat, rows: list[Sequence[Any]]) -> None:
    names = ", ".join(fmt.order)
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {fmt.table.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _chunks(items: list[Planned], size: int) -> Iterator[list[Planned]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _batches(
    setup: Setup, planned: list[Planned], formats: list[TableFormat]
) -> Generator[Encoded, None, None]:
    for chunk in _chunks(planned, BATCH_SIZE):
        batch = Batch()
        for item in chunk:
            _build(setup, item, batch)
        yield _encode(batch, formats)


def _produce(setup: Setup, planned: list[Planned], drivername: str, pipe: MPConnection) -> None:
    """Child process: builds and encodes the batches in order, for the writer."""
    formats = _formats(make_url(f"{drivername}://").get_dialect()())
    for encoded in _batches(setup, planned, formats):
        pipe.send(encoded)
    pipe.send(None)
    pipe.close()


def _batches_from_child(
    setup: Setup, planned: list[Planned], drivername: str
) -> Generator[Encoded, None, None]:
    """The same batches, built by a second process while this one writes the previous.

    Generation stays sequential in the child, so the output equals the in-process one.
    """
    context = multiprocessing.get_context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_produce, args=(setup, planned, drivername, sender), daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            try:
                encoded = receiver.recv()
            except EOFError:
                raise RuntimeError("generazione dei dati dimostrativi interrotta") from None
            if encoded is None:
                break
            yield encoded
        child.join()
    finally:
        if child.is_alive():
            child.terminate()
        receiver.close()


def _audit(session: Session, setup: Setup, totals: Counter[str]) -> None:
    """One entry for the whole run: the rows were written without the ORM's flush hook."""
    changes: dict[str, list[Any]] = {
        "count": [None, totals["dossiers"]],
        "seed": [None, setup.seed],
        "run": [None, setup.run],
        "events": [None, totals["events"]],
        "pareri": [None, totals["pareri"]],
        "flags": [None, totals["flags"]],
    }
    append_entries(session, ACTOR, [("dossiers", "demo", "insert", changes)])


def _tune_sqlite(connection: Connection) -> int | None:
    if connection.dialect.name != "sqlite":
        return None
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{_SQLITE_CACHE_KIB}")
    return int(previous) if previous is not None else None


def generate(database: Database, count: int, seed: int, progress: Progress | None = None) -> int:
    """Add ``count`` synthetic dossiers with their history; returns how many were added."""
    if count <= 0:
        return 0
    with database.unit_of_work(None, write=True) as uow:
        session = uow.session
        session.info["actor"] = ACTOR
        setup = _load_setup(session, uow.today, seed, count)
        years = range(uow.today.year - YEARS_BACK, uow.today.year + 1)
        before = _reserve_counters(session, setup, years)
        planned, after = _plan(setup, count, before)
        connection = session.connection()
        previous_cache = _tune_sqlite(connection)
        formats, totals = _formats(connection.dialect), Counter[str]()
        if count >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            source = _batches_from_child(setup, planned, connection.engine.url.drivername)
        else:
            source = _batches(setup, planned, formats)
        with closing(source):  # on an error, the child process is stopped at once
            for encoded in source:
                _write(connection, formats, encoded)
                totals.update(dict(zip(_TOTALS, map(len, encoded), strict=True)))
                if progress is not None:
                    progress(totals["dossiers"], count)
        _save_counters(session, setup, before, after)
        _audit(session, setup, totals)
        if previous_cache is not None:
            connection.exec_driver_sql(f"PRAGMA cache_size={previous_cache}")
        uow.commit()
    return totals["dossiers"]
