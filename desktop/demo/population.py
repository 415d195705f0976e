"""Who applies in the demo: the communities of Lombardy and Lodi, and how often each
procedure type occurs and who files it.
"""

from __future__ import annotations

from dataclasses import dataclass

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
RESTRICTED_DEFAULT_WEIGHT = 0.2
# fmt: on
