<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT">
<context>
    <name></name>
    <message>
        <source>Someone else changed this dossier meanwhile: reload it and try again.</source>
        <translation>Qualcun altro ha modificato la pratica nel frattempo: ricaricarla e riprovare.</translation>
    </message>
    <message>
        <source>Unexpected error: {0}</source>
        <translation>Errore imprevisto: {0}</translation>
    </message>
    <message>
        <source>Operation refused</source>
        <translation>Operazione non consentita</translation>
    </message>
    <message>
        <source>Raccordo</source>
        <translation>Raccordo</translation>
    </message>
    <message>
        <source>Who is working?</source>
        <translation>Chi sta lavorando?</translation>
    </message>
    <message>
        <source>Empty database</source>
        <translation>Database vuoto</translation>
    </message>
    <message>
        <source>The database has no dossiers yet. Load {0} demo dossiers to try Raccordo?</source>
        <translation>Il database non contiene ancora pratiche. Caricare {0} pratiche dimostrative per provare Raccordo?</translation>
    </message>
    <message>
        <source>Creating demo dossiers…</source>
        <translation>Creazione delle pratiche dimostrative…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annulla</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>Dati dimostrativi</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>chiusa</translation>
    </message>
    <message>
        <source>suspended</source>
        <translation>sospesa</translation>
    </message>
    <message>
        <source>{0} d late</source>
        <translation>−{0} gg</translation>
    </message>
    <message>
        <source>{0} d</source>
        <translation>{0} gg</translation>
    </message>
    <message>
        <source>Surname</source>
        <translation>Cognome</translation>
    </message>
    <message>
        <source>Given names</source>
        <translation>Nomi</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Sesso</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>Data di nascita</translation>
    </message>
    <message>
        <source>Birth place</source>
        <translation>Luogo di nascita</translation>
    </message>
    <message>
        <source>Nationality</source>
        <translation>Cittadinanza</translation>
    </message>
    <message>
        <source>Passport</source>
        <translation>Passaporto</translation>
    </message>
    <message>
        <source>Fiscal code</source>
        <translation>Codice fiscale</translation>
    </message>
    <message>
        <source>CUI</source>
        <translation>CUI</translation>
    </message>
    <message>
        <source>Application code</source>
        <translation>Codice domanda</translation>
    </message>
    <message>
        <source>Employer / applicant</source>
        <translation>Datore di lavoro / richiedente</translation>
    </message>
    <message>
        <source>Employer fiscal code / P. IVA</source>
        <translation>C.F. / P. IVA del datore</translation>
    </message>
    <message>
        <source>Employer PEC</source>
        <translation>PEC del datore</translation>
    </message>
    <message>
        <source>Filed on</source>
        <translation>Presentata il</translation>
    </message>
    <message>
        <source>Quota assigned on</source>
        <translation>Quota assegnata il</translation>
    </message>
    <message>
        <source>M – male</source>
        <translation>M – maschio</translation>
    </message>
    <message>
        <source>F – female</source>
        <translation>F – femmina</translation>
    </message>
    <message>
        <source>dd/mm/yyyy</source>
        <translation>gg/mm/aaaa</translation>
    </message>
    <message>
        <source>e.g. Romania or ROU</source>
        <translation>es. Romania o ROU</translation>
    </message>
    <message>
        <source>name@pec.it</source>
        <translation>nome@pec.it</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Persona</translation>
    </message>
    <message>
        <source>Application and employer</source>
        <translation>Domanda e datore di lavoro</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>Protocollo</translation>
    </message>
    <message>
        <source>Surname and names</source>
        <translation>Cognome e nomi</translation>
    </message>
    <message>
        <source>Natl.</source>
        <translation>Naz.</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Dimensione</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Ricevuto</translation>
    </message>
    <message>
        <source>&amp;Open document</source>
        <translation>&amp;Apri documento</translation>
    </message>
    <message>
        <source>Scans arrive through the inbox folder, named &lt;protocol or application code&gt;__&lt;description&gt;.pdf</source>
        <translation>Le scansioni arrivano dalla cartella di arrivo, con nome &lt;protocollo o codice domanda&gt;__&lt;descrizione&gt;.pdf</translation>
    </message>
    <message>
        <source>{0}, pages {1}</source>
        <translation>{0}, pagine {1}</translation>
    </message>
    <message>
        <source>Document kind</source>
        <translation>Tipo documento</translation>
    </message>
    <message>
        <source>Scanner batch</source>
        <translation>Lotto di scansione</translation>
    </message>
    <message>
        <source>or as one scanner batch with separator sheets between the documents.</source>
        <translation>oppure come un unico lotto di scansione con i fogli separatori tra i documenti.</translation>
    </message>
    <message>
        <source>&amp;Separator sheets of the selected dossiers…</source>
        <translation>Fogli &amp;separatori delle pratiche selezionate…</translation>
    </message>
    <message>
        <source>Separator sheets</source>
        <translation>Fogli separatori</translation>
    </message>
    <message>
        <source>Select the dossiers to scan documents for.</source>
        <translation>Selezionare prima le pratiche di cui scansionare i documenti.</translation>
    </message>
    <message>
        <source>Separator sheet</source>
        <translation>Foglio separatore</translation>
    </message>
    <message>
        <source>Any document</source>
        <translation>Qualsiasi documento</translation>
    </message>
    <message>
        <source>No program opens this file: {0}</source>
        <translation>Nessun programma apre questo file: {0}</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stato</translation>
    </message>
    <message>
        <source>Holder</source>
        <translation>Presso</translation>
    </message>
    <message>
        <source>Filed</source>
        <translation>Presentata</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Scadenza</translation>
    </message>
    <message>
        <source>Open items</source>
        <translation>Segn. aperte</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>Rischio</translation>
    </message>
    <message>
        <source>Waiting since</source>
        <translation>In attesa da</translation>
    </message>
    <message>
        <source>Too little history to say: fewer than {passages} dossiers of this type closed after passing through this state, or fewer than {survivors} of them stayed in it as long as this one.</source>
        <translation>Storico insufficiente per una stima: meno di {passages} pratiche di questo tipo concluse dopo essere passate per questo stato, o meno di {survivors} rimaste in esso quanto questa.</translation>
    </message>
    <message>
        <source>Probability of missing the legal term, from this office&apos;s own history: of the recently closed dossiers of this type that stayed in this state at least as long, the share that needed more time than this dossier has left (suspended days not counted).</source>
        <translation>Probabilità di superare il termine di legge, dallo storico dell&apos;ufficio: tra le pratiche di questo tipo concluse di recente e rimaste in questo stato almeno altrettanto, la quota che ha richiesto più tempo di quanto resta a questa pratica (giorni di sospensione esclusi).</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sì</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>Registrata</translation>
    </message>
    <message>
        <source>State change</source>
        <translation>Cambio di stato</translation>
    </message>
    <message>
        <source>Parere given</source>
        <translation>Parere reso</translation>
    </message>
    <message>
        <source>Item raised</source>
        <translation>Segnalazione aperta</translation>
    </message>
    <message>
        <source>Item resolved</source>
        <translation>Segnalazione risolta</translation>
    </message>
    <message>
        <source>Observations received</source>
        <translation>Osservazioni pervenute</translation>
    </message>
    <message>
        <source>Dossier {0}: the applicant&apos;s observations on the preavviso di rigetto. The term runs again 10 days after the day they arrived.</source>
        <translation>Pratica {0}: le osservazioni del richiedente al preavviso di rigetto. Il termine riprende a decorrere 10 giorni dopo il giorno in cui sono pervenute.</translation>
    </message>
    <message>
        <source>The day the observations arrived.</source>
        <translation>Il giorno in cui sono pervenute le osservazioni.</translation>
    </message>
    <message>
        <source>Observations received…</source>
        <translation>Osservazioni pervenute…</translation>
    </message>
    <message>
        <source>The applicant answered the preavviso di rigetto: record the day</source>
        <translation>Il richiedente ha risposto al preavviso di rigetto: registrare il giorno</translation>
    </message>
    <message>
        <source>Recorded, with a warning</source>
        <translation>Registrato, con un avviso</translation>
    </message>
    <message>
        <source>Data changed</source>
        <translation>Dati modificati</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>Stampata</translation>
    </message>
    <message>
        <source>Move undone</source>
        <translation>Passaggio annullato</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>resolved on {0}</source>
        <translation>risolto il {0}</translation>
    </message>
    <message>
        <source>refused by the server: {0}</source>
        <translation>rifiutata dal server: {0}</translation>
    </message>
    <message>
        <source>to resolve</source>
        <translation>da risolvere</translation>
    </message>
    <message>
        <source>new record ({0})</source>
        <translation>nuovo record ({0})</translation>
    </message>
    <message>
        <source>state</source>
        <translation>stato</translation>
    </message>
    <message>
        <source>Refused change</source>
        <translation>Modifica rifiutata</translation>
    </message>
    <message>
        <source>{0}: the server refused “{1}” ({2}). The dossier shows the server&apos;s state: do the operation again if it is still needed, then close this entry with “Keep the server&apos;s value”.</source>
        <translation>{0}: il server ha rifiutato «{1}» ({2}). La pratica mostra lo stato del server: rifare l&apos;operazione se serve ancora, poi chiudere la voce con «Mantieni quello del server».</translation>
    </message>
    <message>
        <source>{0}: “{1}” was changed here and on another workstation. My value: {2}; the server&apos;s: {3}. Choose which one the dossier keeps.</source>
        <translation>{0}: «{1}» è stato modificato qui e su un&apos;altra postazione. Il mio valore: {2}; quello del server: {3}. Scegliere quale dei due tiene la pratica.</translation>
    </message>
    <message>
        <source>Dossier</source>
        <translation>Pratica</translation>
    </message>
    <message>
        <source>My value</source>
        <translation>Il mio valore</translation>
    </message>
    <message>
        <source>Server value</source>
        <translation>Valore del server</translation>
    </message>
    <message>
        <source>Show resolved too</source>
        <translation>Mostra anche quelli risolti</translation>
    </message>
    <message>
        <source>&amp;Keep my value</source>
        <translation>&amp;Mantieni il mio valore</translation>
    </message>
    <message>
        <source>Keep the &amp;server&apos;s value</source>
        <translation>Mantieni quello del &amp;server</translation>
    </message>
    <message>
        <source>No conflicts</source>
        <translation>Nessun conflitto</translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s) to resolve</source>
        <translation>
            <numerusform>%n conflitto da risolvere</numerusform>
            <numerusform>%n conflitti da risolvere</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a conflict to choose which value to keep.</source>
        <translation>Selezionare un conflitto per scegliere quale valore mantenere.</translation>
    </message>
    <message>
        <source>Deleted at</source>
        <translation>Eliminata il</translation>
    </message>
    <message>
        <source>Holder office</source>
        <translation>Ufficio che la detiene</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>Termine</translation>
    </message>
    <message>
        <source>Suspended days</source>
        <translation>Giorni di sospensione</translation>
    </message>
    <message>
        <source>Days with the Sportello Unico</source>
        <translation>Giorni presso lo Sportello Unico</translation>
    </message>
    <message>
        <source>Days with the Questura</source>
        <translation>Giorni presso la Questura</translation>
    </message>
    <message>
        <source>Days with the applicant</source>
        <translation>Giorni presso il richiedente</translation>
    </message>
    <message>
        <source>Search key</source>
        <translation>Chiave di ricerca</translation>
    </message>
    <message>
        <source>Closed on</source>
        <translation>Chiusa il</translation>
    </message>
    <message>
        <source>Restricted</source>
        <translation>Riservata</translation>
    </message>
    <message>
        <source>Protocol office</source>
        <translation>Ufficio di protocollo</translation>
    </message>
    <message>
        <source>Protocol year</source>
        <translation>Anno di protocollo</translation>
    </message>
    <message>
        <source>Protocol number</source>
        <translation>Numero di protocollo</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Ordine</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Evento</translation>
    </message>
    <message>
        <source>From state</source>
        <translation>Dallo stato</translation>
    </message>
    <message>
        <source>To state</source>
        <translation>Allo stato</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Utente</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>Ufficio</translation>
    </message>
    <message>
        <source>Entered</source>
        <translation>Registrato</translation>
    </message>
    <message>
        <source>Effective</source>
        <translation>Con effetto dal</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Numero</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Categoria</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Testo</translation>
    </message>
    <message>
        <source>Suspends</source>
        <translation>Sospende</translation>
    </message>
    <message>
        <source>From office</source>
        <translation>Dall&apos;ufficio</translation>
    </message>
    <message>
        <source>For office</source>
        <translation>Per l&apos;ufficio</translation>
    </message>
    <message>
        <source>Raised by</source>
        <translation>Aperta da</translation>
    </message>
    <message>
        <source>Raised on</source>
        <translation>Aperta il</translation>
    </message>
    <message>
        <source>Resolved by</source>
        <translation>Risolta da</translation>
    </message>
    <message>
        <source>Resolved on</source>
        <translation>Risolta il</translation>
    </message>
    <message>
        <source>Resolution note</source>
        <translation>Nota di risoluzione</translation>
    </message>
    <message>
        <source>Requested on</source>
        <translation>Richiesto il</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>Richiesto da</translation>
    </message>
    <message>
        <source>Given on</source>
        <translation>Reso il</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Esito</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>Motivazioni</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Funzionario</translation>
    </message>
    <message>
        <source>runs</source>
        <translation>decorre</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>concluso</translation>
    </message>
    <message>
        <source>Favourable</source>
        <translation>Favorevole</translation>
    </message>
    <message>
        <source>Obstacles found</source>
        <translation>Motivi ostativi</translation>
    </message>
    <message>
        <source>awaited</source>
        <translation>in attesa</translation>
    </message>
    <message>
        <source>days</source>
        <translation>giorni</translation>
    </message>
    <message>
        <source>months</source>
        <translation>mesi</translation>
    </message>
    <message>
        <source>working days</source>
        <translation>giorni lavorativi</translation>
    </message>
    <message>
        <source>{0} {1} from quota assignment</source>
        <translation>{0} {1} dall&apos;assegnazione della quota</translation>
    </message>
    <message>
        <source>{0} {1} from filing</source>
        <translation>{0} {1} dalla presentazione</translation>
    </message>
    <message>
        <source>The dossier is closed: its data can no longer change.</source>
        <translation>La pratica è chiusa: i suoi dati non sono più modificabili.</translation>
    </message>
    <message>
        <source>Only the Questura can change this field.</source>
        <translation>Solo la Questura può modificare questo campo.</translation>
    </message>
    <message>
        <source>Only the Sportello Unico can change this field.</source>
        <translation>Solo lo Sportello Unico può modificare questo campo.</translation>
    </message>
    <message>
        <source>The day it took effect: it may be earlier than today.</source>
        <translation>Il giorno in cui ha avuto effetto: può essere precedente a oggi.</translation>
    </message>
    <message>
        <source>&amp;Effective date</source>
        <translation>Data di &amp;efficacia</translation>
    </message>
    <message>
        <source>Move to «{0}»</source>
        <translation>Passa a «{0}»</translation>
    </message>
    <message>
        <source>Dossier {0}: from «{1}» to «{2}».</source>
        <translation>Pratica {0}: da «{1}» a «{2}».</translation>
    </message>
    <message>
        <source>&amp;Note</source>
        <translation>&amp;Nota</translation>
    </message>
    <message>
        <source>Give parere</source>
        <translation>Rendi il parere</translation>
    </message>
    <message>
        <source>Dossier {0}: the opinion sends the file back to the office that asked for it.</source>
        <translation>Pratica {0}: con il parere la pratica torna all&apos;ufficio che lo ha richiesto.</translation>
    </message>
    <message>
        <source>&amp;Favourable</source>
        <translation>&amp;Favorevole</translation>
    </message>
    <message>
        <source>&amp;Obstacles found (motivi ostativi)</source>
        <translation>&amp;Motivi ostativi</translation>
    </message>
    <message>
        <source>Required when obstacles are found</source>
        <translation>Obbligatorie in caso di motivi ostativi</translation>
    </message>
    <message>
        <source>&amp;Reasons</source>
        <translation>M&amp;otivazioni</translation>
    </message>
    <message>
        <source>Raise a pending item</source>
        <translation>Apri una segnalazione</translation>
    </message>
    <message>
        <source>Dossier {0}: the item goes to the other office until it is resolved.</source>
        <translation>Pratica {0}: la segnalazione resta all&apos;altro ufficio finché non è risolta.</translation>
    </message>
    <message>
        <source>— choose a category —</source>
        <translation>— scegliere la categoria —</translation>
    </message>
    <message>
        <source>&amp;Suspends the term until resolved</source>
        <translation>&amp;Sospende il termine fino alla risoluzione</translation>
    </message>
    <message>
        <source>&amp;Category</source>
        <translation>&amp;Categoria</translation>
    </message>
    <message>
        <source>&amp;Text</source>
        <translation>&amp;Testo</translation>
    </message>
    <message>
        <source>Resolve item #{0}</source>
        <translation>Risolvi la segnalazione n. {0}</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Caricamento…</translation>
    </message>
    <message>
        <source>Term</source>
        <translation>Termine</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>Sospensione</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n giorno</numerusform>
            <numerusform>%n giorni</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) overdue</source>
        <translation>
            <numerusform>scaduta da %n giorno</numerusform>
            <numerusform>scaduta da %n giorni</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) left</source>
        <translation>
            <numerusform>%n giorno rimasto</numerusform>
            <numerusform>%n giorni rimasti</numerusform>
        </translation>
    </message>
    <message>
        <source>Actions:</source>
        <translation>Azioni:</translation>
    </message>
    <message>
        <source>No action is yours to take in this state.</source>
        <translation>In questo stato non ci sono azioni di sua competenza.</translation>
    </message>
    <message>
        <source>Give parere…</source>
        <translation>Rendi il parere…</translation>
    </message>
    <message>
        <source>Record the opinion asked of your office; the file goes back to the other</source>
        <translation>Registra il parere richiesto al suo ufficio; la pratica torna all&apos;altro ufficio</translation>
    </message>
    <message>
        <source>Move the dossier to «{0}»</source>
        <translation>Porta la pratica a «{0}»</translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Salva</translation>
    </message>
    <message>
        <source>Save the changed fields (Ctrl+S)</source>
        <translation>Salva i campi modificati (Ctrl+S)</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>&amp;Ripristina</translation>
    </message>
    <message>
        <source>Put back the values as they were loaded</source>
        <translation>Rimetti i valori come erano al caricamento</translation>
    </message>
    <message>
        <source>The dossier changed and was reloaded: your unsaved changes are kept.</source>
        <translation>La pratica è cambiata ed è stata ricaricata: le sue modifiche non salvate sono conservate.</translation>
    </message>
    <message>
        <source>Grey fields are not yours to change: point at one to see why.</source>
        <translation>I campi grigi non sono di sua competenza: passi sopra un campo per sapere perché.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Salvato.</translation>
    </message>
    <message>
        <source>Not saved: correct the fields marked in red.</source>
        <translation>Non salvato: correggere i campi segnati in rosso.</translation>
    </message>
    <message>
        <source>State reached</source>
        <translation>Stato raggiunto</translation>
    </message>
    <message>
        <source>&amp;New pending item…</source>
        <translation>&amp;Nuova segnalazione…</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>Riunione</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quando</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Chi</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Registro</translation>
    </message>
    <message>
        <source>not reached</source>
        <translation>non trattato</translation>
    </message>
    <message>
        <source>New meeting</source>
        <translation>Nuova riunione</translation>
    </message>
    <message>
        <source>once</source>
        <translation>una volta</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Data</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Luogo</translation>
    </message>
    <message>
        <source>Every (weeks)</source>
        <translation>Ogni (settimane)</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Azione</translation>
    </message>
    <message>
        <source>Information</source>
        <translation>Informazione</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Decisione</translation>
    </message>
    <message>
        <source>Sportello Unico</source>
        <translation>Sportello Unico</translation>
    </message>
    <message>
        <source>Questura</source>
        <translation>Questura</translation>
    </message>
    <message>
        <source>(no dossier)</source>
        <translation>(nessuna pratica)</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Incaricato</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Scadenza</translation>
    </message>
    <message>
        <source>Tavolo: {0} open actions for me and my office, {1} overdue (Enter or double-click opens the dossier, or the meeting)</source>
        <translation>Tavolo: {0} azioni aperte per me e il mio ufficio, {1} scadute (Invio o doppio clic apre la pratica, o la riunione)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>nessuna</translation>
    </message>
    <message>
        <source>state code, e.g. in_istruttoria</source>
        <translation>codice dello stato, es. in_istruttoria</translation>
    </message>
    <message>
        <source>Move the dossier to</source>
        <translation>Porta la pratica a</translation>
    </message>
    <message>
        <source>Section</source>
        <translation>Sezione</translation>
    </message>
    <message>
        <source>Outcomes</source>
        <translation>Esiti</translation>
    </message>
    <message>
        <source>Meetings</source>
        <translation>Riunioni</translation>
    </message>
    <message>
        <source>Agenda</source>
        <translation>Ordine del giorno</translation>
    </message>
    <message>
        <source>&amp;New meeting…</source>
        <translation>&amp;Nuova riunione…</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Apri</translation>
    </message>
    <message>
        <source>C&amp;lose</source>
        <translation>&amp;Chiudi</translation>
    </message>
    <message>
        <source>&amp;Propose an item…</source>
        <translation>&amp;Proponi un punto…</translation>
    </message>
    <message>
        <source>&amp;Outcome…</source>
        <translation>&amp;Esito…</translation>
    </message>
    <message>
        <source>&amp;Verbale…</source>
        <translation>&amp;Verbale…</translation>
    </message>
    <message>
        <source>{0} items, {1} actions</source>
        <translation>{0} punti, {1} azioni</translation>
    </message>
    <message>
        <source>Close the meeting</source>
        <translation>Chiudi la riunione</translation>
    </message>
    <message>
        <source>Close meeting no. {0}? Items without an outcome go to the next meeting; the meeting can no longer be changed.</source>
        <translation>Chiudere la riunione n. {0}? I punti senza esito passano alla riunione successiva; la riunione non sarà più modificabile.</translation>
    </message>
    <message>
        <source>Propose an item</source>
        <translation>Proponi un punto</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Argomento</translation>
    </message>
    <message>
        <source>Verbale no. {0}</source>
        <translation>Verbale n. {0}</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Campo</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Prima</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Dopo</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Storia</translation>
    </message>
    <message>
        <source>Pending item</source>
        <translation>Segnalazione</translation>
    </message>
    <message>
        <source>Parere</source>
        <translation>Parere</translation>
    </message>
    <message>
        <source>created</source>
        <translation>creato</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>modificato</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>eliminato</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>N.</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Da</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>Aperta</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Risolta</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Da</translation>
    </message>
    <message>
        <source>Raise a pending item for the other office (Ctrl+I)</source>
        <translation>Apri una segnalazione per l&apos;altro ufficio (Ctrl+I)</translation>
    </message>
    <message>
        <source>R&amp;esolve…</source>
        <translation>Ris&amp;olvi…</translation>
    </message>
    <message>
        <source>Mark the selected item as resolved (Ctrl+E)</source>
        <translation>Segna come risolta la segnalazione selezionata (Ctrl+E)</translation>
    </message>
    <message>
        <source>&amp;Data</source>
        <translation>&amp;Dati</translation>
    </message>
    <message>
        <source>Hi&amp;story</source>
        <translation>Stor&amp;ia</translation>
    </message>
    <message>
        <source>&amp;Pending items</source>
        <translation>Se&amp;gnalazioni</translation>
    </message>
    <message>
        <source>Pa&amp;rere</source>
        <translation>Pa&amp;rere</translation>
    </message>
    <message>
        <source>&amp;Audit</source>
        <translation>Regis&amp;tro</translation>
    </message>
    <message>
        <source>Do&amp;cuments</source>
        <translation>Do&amp;cumenti</translation>
    </message>
    <message>
        <source>&amp;Tavolo</source>
        <translation>Ta&amp;volo</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Salva</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Ricarica</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Chiudi</translation>
    </message>
    <message>
        <source>&amp;Undo the last move</source>
        <translation>&amp;Annulla l&apos;ultimo passaggio</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Modifica</translation>
    </message>
    <message>
        <source>Pri&amp;nt</source>
        <translation>&amp;Stampa</translation>
    </message>
    <message>
        <source>&amp;Print</source>
        <translation>&amp;Stampa</translation>
    </message>
    <message>
        <source>{0} – {1} {2}</source>
        <translation>{0} – {1} {2}</translation>
    </message>
    <message>
        <source>&amp;Pending items ({0})</source>
        <translation>Se&amp;gnalazioni ({0})</translation>
    </message>
    <message>
        <source>&amp;Undo «{0} → {1}» ({2}:{3:02d} left)</source>
        <translation>&amp;Annulla «{0} → {1}» (ancora {2}:{3:02d})</translation>
    </message>
    <message>
        <source>Cannot open the dossier: {0}</source>
        <translation>Impossibile aprire la pratica: {0}</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Modifiche non salvate</translation>
    </message>
    <message>
        <source>The data of this dossier were changed and not saved. Discard the changes?</source>
        <translation>I dati della pratica sono stati modificati e non salvati. Scartare le modifiche?</translation>
    </message>
    <message>
        <source>Open items only</source>
        <translation>Solo segnalazioni aperte</translation>
    </message>
    <message>
        <source>Search dossier, name, category, text…</source>
        <translation>Cerca pratica, nome, categoria, testo…</translation>
    </message>
    <message>
        <source>Search pending items</source>
        <translation>Cerca nelle segnalazioni</translation>
    </message>
    <message>
        <source>Open actions of the tavolo</source>
        <translation>Azioni aperte del tavolo</translation>
    </message>
    <message>
        <source>{0} items, {1} for my office</source>
        <translation>{0} segnalazioni, {1} per il mio ufficio</translation>
    </message>
    <message>
        <source>Search surname, names, protocol, application code, fiscal code, CUI, passport…</source>
        <translation>Cerca cognome, nomi, protocollo, codice domanda, codice fiscale, CUI, passaporto…</translation>
    </message>
    <message>
        <source>&amp;Overdue</source>
        <translation>Sc&amp;adute</translation>
    </message>
    <message>
        <source>With open &amp;items</source>
        <translation>Con segnala&amp;zioni aperte</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>Tutti i tipi</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>Tutti gli stati</translation>
    </message>
    <message>
        <source>Any holder</source>
        <translation>Qualsiasi ufficio</translation>
    </message>
    <message>
        <source>C&amp;lear search and filters</source>
        <translation>A&amp;zzera ricerca e filtri</translation>
    </message>
    <message>
        <source>{0} dossiers</source>
        <translation>{0} pratiche</translation>
    </message>
    <message>
        <source>No dossier matches the search and the filters.</source>
        <translation>Nessuna pratica corrisponde alla ricerca e ai filtri.</translation>
    </message>
    <message>
        <source>No dossier here: nothing waits in this view.</source>
        <translation>Nessuna pratica qui: in questa vista non c&apos;è nulla in attesa.</translation>
    </message>
    <message>
        <source>Raccordo – {0}</source>
        <translation>Raccordo – {0}</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Conflitti</translation>
    </message>
    <message>
        <source>text «{0}»</source>
        <translation>testo «{0}»</translation>
    </message>
    <message>
        <source>no filter</source>
        <translation>nessun filtro</translation>
    </message>
    <message>
        <source>&amp;Export the list…</source>
        <translation>&amp;Esporta l&apos;elenco…</translation>
    </message>
    <message>
        <source>Dossiers</source>
        <translation>Pratiche</translation>
    </message>
    <message>
        <source>Export the list</source>
        <translation>Esporta l&apos;elenco</translation>
    </message>
    <message>
        <source>PDF (*.pdf);;CSV for Excel (*.csv);;Excel (*.xlsx)</source>
        <translation>PDF (*.pdf);;CSV per Excel (*.csv);;Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>{0} dossiers saved in {1}</source>
        <translation>{0} pratiche salvate in {1}</translation>
    </message>
    <message>
        <source>To work on</source>
        <translation>Da lavorare</translation>
    </message>
    <message>
        <source>Pending items</source>
        <translation>Segnalazioni</translation>
    </message>
    <message>
        <source>Every dossier you may see. Type in the search box a surname, a protocol number, an application code, a fiscal code, a CUI or a passport; press Down to reach the list and Enter to open the selected dossier. The filters narrow the list; the preview beside it shows the selected dossier and its next action. Ctrl+E exports the list as shown; Ctrl+Shift+L prints one letter for each selected dossier, in one PDF (right click for the other actions on the selection).</source>
        <translation>Tutte le pratiche che può vedere. Scriva nella casella di ricerca un cognome, un numero di protocollo, un codice domanda, un codice fiscale, un CUI o un passaporto; con Freccia giù passa all&apos;elenco e con Invio apre la pratica selezionata. I filtri restringono l&apos;elenco; l&apos;anteprima accanto mostra la pratica selezionata e la prossima azione. Ctrl+E esporta l&apos;elenco così come appare; Ctrl+Maiusc+L stampa una lettera per ciascuna pratica selezionata, in un solo PDF (con il tasto destro le altre azioni sulle selezionate).</translation>
    </message>
    <message>
        <source>The open dossiers your office holds now, the nearest deadline first. «Waiting since» counts the days since a parere was asked, against the office&apos;s target (30 days unless the administrator set another). Take a dossier to find it again in «My dossiers».</source>
        <translation>Le pratiche aperte che il suo ufficio detiene ora, dalla scadenza più vicina. «In attesa da» conta i giorni dalla richiesta del parere, rispetto all&apos;obiettivo dell&apos;ufficio (30 giorni, salvo diversa impostazione dell&apos;amministratore). Prenda in carico una pratica per ritrovarla in «Le mie pratiche».</translation>
    </message>
    <message>
        <source>Items raised by your office or addressed to it. The search box keeps the rows holding every word typed. Double click (or Enter) opens the dossier, where the item is resolved from the «Pending items» tab.</source>
        <translation>Le segnalazioni aperte dal suo ufficio o destinate a esso. La casella di ricerca tiene le righe che contengono tutte le parole scritte. Il doppio clic (o Invio) apre la pratica, dove la segnalazione si risolve dalla scheda «Segnalazioni».</translation>
    </message>
    <message>
        <source>Deadlines</source>
        <translation>Scadenze</translation>
    </message>
    <message>
        <source>Dossiers whose legal term ends within 7 days. A badge with ⚠ is overdue; the days shown are calendar days, a deadline on a holiday moves to the next working day.</source>
        <translation>Le pratiche il cui termine di legge scade entro 7 giorni. Un bollino con ⚠ è scaduto; i giorni sono di calendario, una scadenza che cade in un giorno festivo passa al primo giorno lavorativo.</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>Statistiche</translation>
    </message>
    <message>
        <source>Figures of a closed period: the last full month unless you choose the last quarter or other dates. Compute, then print or export. Every dossier closed in the period counts; the previous period of equal length is the comparison.</source>
        <translation>Gli indicatori di un periodo concluso: l&apos;ultimo mese intero, oppure l&apos;ultimo trimestre o altre date. Calcoli, poi stampi o esporti. Contano tutte le pratiche chiuse nel periodo; il confronto è con il periodo precedente di uguale durata.</translation>
    </message>
    <message>
        <source>Imports</source>
        <translation>Importazioni</translation>
    </message>
    <message>
        <source>Files read from the inbox folder: application lists and scanned documents. A rejected file says why; fix it and press Retry.</source>
        <translation>I file letti dalla cartella di arrivo: elenchi di domande e documenti scansionati. Un file scartato dice perché; lo corregga e prema Riprova.</translation>
    </message>
    <message>
        <source>The coordination meetings of the two offices: the agenda, with the dossiers at risk of missing their term, and the outcomes. Heads convene and close a meeting; anyone proposes an item.</source>
        <translation>Le riunioni di coordinamento dei due uffici: l&apos;ordine del giorno, con le pratiche a rischio di superare il termine, e gli esiti. I responsabili convocano e chiudono una riunione; chiunque propone un punto.</translation>
    </message>
    <message>
        <source>Changes made here and on another workstation to the same field, or refused by the server. Choose which value the dossier keeps.</source>
        <translation>Modifiche fatte qui e su un&apos;altra postazione allo stesso campo, o rifiutate dal server. Scelga quale valore tiene la pratica.</translation>
    </message>
    <message>
        <source>A saved search keeps the text searched, the filters and the order. Save the current one from the Dossier menu; right click one of yours to delete it.</source>
        <translation>Una ricerca salvata conserva il testo cercato, i filtri e l&apos;ordinamento. Salvi quella corrente dal menu Pratica; con il clic destro elimina una delle sue.</translation>
    </message>
    <message>
        <source>The dossier</source>
        <translation>La pratica</translation>
    </message>
    <message>
        <source>The header says who must act and what the dossier waits for. The buttons under it are the moves you may make now (Ctrl+1, Ctrl+2…). Ctrl+Z undoes your last move within a few minutes, if nothing happened after it. Data are saved with Ctrl+S; grey fields belong to the other office.</source>
        <translation>L&apos;intestazione dice chi deve agire e che cosa attende la pratica. I pulsanti sotto sono i passaggi che può fare ora (Ctrl+1, Ctrl+2…). Ctrl+Z annulla il suo ultimo passaggio entro pochi minuti, se dopo non è accaduto altro. I dati si salvano con Ctrl+S; i campi grigi spettano all&apos;altro ufficio.</translation>
    </message>
    <message>
        <source>Choose the procedure type, then fill the fields in bold. Dates as 12/5/1990, 12.5.1990 or 12051990; the nationality by its Italian name or its code (Romania or ROU). Enter registers; Esc asks before discarding what you typed.</source>
        <translation>Scelga il tipo di procedimento, poi compili i campi in grassetto. Le date come 12/5/1990, 12.5.1990 o 12051990; la cittadinanza con il nome italiano o il codice (Romania o ROU). Invio registra; Esc chiede conferma prima di scartare quanto scritto.</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Aiuto</translation>
    </message>
    <message>
        <source>Help – {0}</source>
        <translation>Aiuto – {0}</translation>
    </message>
    <message>
        <source>&amp;Help on this view</source>
        <translation>&amp;Aiuto su questa schermata</translation>
    </message>
    <message>
        <source>Tavolo</source>
        <translation>Tavolo</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Viste</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Ricerca</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;New dossier…</source>
        <translation>&amp;Nuova pratica…</translation>
    </message>
    <message>
        <source>&amp;Connect to the server…</source>
        <translation>&amp;Collega al server…</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Scollega</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Esci</translation>
    </message>
    <message>
        <source>&amp;Dossier</source>
        <translation>&amp;Pratica</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Apri</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>A&amp;ggiorna</translation>
    </message>
    <message>
        <source>&amp;Transmittal slip of the selected dossiers…</source>
        <translation>&amp;Distinta di trasmissione delle pratiche selezionate…</translation>
    </message>
    <message>
        <source>&amp;Worklist of my office (due within 7 days)…</source>
        <translation>Scadenzario del &amp;mio ufficio (entro 7 giorni)…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Visualizza</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Cerca</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aiuto</translation>
    </message>
    <message>
        <source>&amp;About Raccordo</source>
        <translation>&amp;Informazioni su Raccordo</translation>
    </message>
    <message>
        <source>User: {0} ({1})</source>
        <translation>Utente: {0} ({1})</translation>
    </message>
    <message>
        <source>Office: {0}</source>
        <translation>Ufficio: {0}</translation>
    </message>
    <message>
        <source>Database: {0}</source>
        <translation>Database: {0}</translation>
    </message>
    <message>
        <source>Embedded database (no sync)</source>
        <translation>Database locale (senza sincronizzazione)</translation>
    </message>
    <message>
        <source>Transmittal slip</source>
        <translation>Distinta di trasmissione</translation>
    </message>
    <message>
        <source>Select the dossiers to hand over first.</source>
        <translation>Selezionare prima le pratiche da trasmettere.</translation>
    </message>
    <message>
        <source>About Raccordo</source>
        <translation>Informazioni su Raccordo</translation>
    </message>
    <message>
        <source>Raccordo {0}
Shared immigration dossiers for the Prefettura&apos;s SUI and the Questura&apos;s Ufficio Immigrazione.</source>
        <translation>Raccordo {0}
Pratiche di immigrazione condivise tra lo Sportello Unico della Prefettura e l&apos;Ufficio Immigrazione della Questura.</translation>
    </message>
    <message>
        <source>Possible duplicate</source>
        <translation>Possibile duplicato</translation>
    </message>
    <message>
        <source>same fiscal code</source>
        <translation>stesso codice fiscale</translation>
    </message>
    <message>
        <source>same person data</source>
        <translation>stessi dati anagrafici</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>Nata/o il</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Motivo</translation>
    </message>
    <message numerus="yes">
        <source>This person already has %n open dossier(s). Register a new one anyway, or go back and check?</source>
        <translation>
            <numerusform>Questa persona ha già %n pratica aperta. Registrarne comunque una nuova, o tornare indietro a controllare?</numerusform>
            <numerusform>Questa persona ha già %n pratiche aperte. Registrarne comunque una nuova, o tornare indietro a controllare?</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Register anyway</source>
        <translation>&amp;Registra comunque</translation>
    </message>
    <message>
        <source>&amp;Go back</source>
        <translation>&amp;Torna indietro</translation>
    </message>
    <message>
        <source>New dossier</source>
        <translation>Nuova pratica</translation>
    </message>
    <message>
        <source>Loading procedure types…</source>
        <translation>Caricamento dei tipi di pratica…</translation>
    </message>
    <message>
        <source>&amp;Register</source>
        <translation>&amp;Registra</translation>
    </message>
    <message>
        <source>Check for open dossiers of the same person, then assign the protocol number</source>
        <translation>Controlla le pratiche aperte della stessa persona, poi assegna il numero di protocollo</translation>
    </message>
    <message>
        <source>Procedure &amp;type</source>
        <translation>&amp;Tipo di procedimento</translation>
    </message>
    <message>
        <source>The data typed in this form are not registered. Discard them?</source>
        <translation>I dati scritti in questo modulo non sono registrati. Scartarli?</translation>
    </message>
    <message>
        <source>Fields in bold are required.</source>
        <translation>I campi in grassetto sono obbligatori.</translation>
    </message>
    <message>
        <source>Your office leads no procedure type you may register.</source>
        <translation>Il suo ufficio non gestisce tipi di pratica che lei possa registrare.</translation>
    </message>
    <message>
        <source>Looking for open dossiers of the same person…</source>
        <translation>Ricerca di pratiche aperte della stessa persona…</translation>
    </message>
    <message>
        <source>Could not look for duplicates: {0}</source>
        <translation>Impossibile cercare i duplicati: {0}</translation>
    </message>
    <message>
        <source>Possible duplicate: waiting for your answer.</source>
        <translation>Possibile duplicato: in attesa della sua risposta.</translation>
    </message>
    <message>
        <source>Not registered.</source>
        <translation>Non registrata.</translation>
    </message>
    <message>
        <source>Registering…</source>
        <translation>Registrazione…</translation>
    </message>
    <message>
        <source>Not registered: correct the fields marked in red.</source>
        <translation>Non registrata: correggere i campi segnati in rosso.</translation>
    </message>
    <message>
        <source>Not registered: {0}</source>
        <translation>Non registrata: {0}</translation>
    </message>
    <message>
        <source>Registered as {0}.</source>
        <translation>Registrata come {0}.</translation>
    </message>
    <message>
        <source>Registered as {0}</source>
        <translation>Registrata come {0}</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Stampa…</translation>
    </message>
    <message>
        <source>Print on a printer of this computer (Ctrl+P)</source>
        <translation>Stampa su una stampante di questo computer (Ctrl+P)</translation>
    </message>
    <message>
        <source>Sa&amp;ve as PDF…</source>
        <translation>Sal&amp;va come PDF…</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>Salva come PDF</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>Documenti PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Appointment date (dd/mm/yyyy)</source>
        <translation>Data dell&apos;appuntamento (gg/mm/aaaa)</translation>
    </message>
    <message>
        <source>Appointment time</source>
        <translation>Ora dell&apos;appuntamento</translation>
    </message>
    <message>
        <source>Documents to send</source>
        <translation>Documenti da presentare</translation>
    </message>
    <message>
        <source>Reasons for rejection</source>
        <translation>Motivi ostativi</translation>
    </message>
    <message>
        <source>Data for the letter</source>
        <translation>Dati per la lettera</translation>
    </message>
    <message>
        <source>Cannot print</source>
        <translation>Impossibile stampare</translation>
    </message>
    <message>
        <source>Tavolo di coordinamento: no dossier discussed in the period.</source>
        <translation>Tavolo di coordinamento: nessuna pratica discussa nel periodo.</translation>
    </message>
    <message>
        <source>Tavolo di coordinamento: {0} dossiers discussed, without a move for {1} days (median) when discussed; {2} moved afterwards, after {3} days (median), {4} not yet. Actions: {5} done on time, {6} late, {7} open past their due date.</source>
        <translation>Tavolo di coordinamento: {0} pratiche discusse, ferme da {1} giorni (mediana) quando discusse; {2} mosse dopo la riunione, in {3} giorni (mediana), {4} non ancora. Azioni: {5} svolte entro la scadenza, {6} in ritardo, {7} aperte e scadute.</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Periodo</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>Mese scorso</translation>
    </message>
    <message>
        <source>Last quarter</source>
        <translation>Trimestre scorso</translation>
    </message>
    <message>
        <source>Other dates</source>
        <translation>Altre date</translation>
    </message>
    <message>
        <source>Both offices</source>
        <translation>Entrambi gli uffici</translation>
    </message>
    <message>
        <source>&amp;Compute</source>
        <translation>&amp;Calcola</translation>
    </message>
    <message>
        <source>&amp;Print / PDF…</source>
        <translation>&amp;Stampa / PDF…</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>Esporta C&amp;SV…</translation>
    </message>
    <message>
        <source>Export &amp;XLSX…</source>
        <translation>Esporta &amp;XLSX…</translation>
    </message>
    <message>
        <source>Key figures</source>
        <translation>Indicatori principali</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Al</translation>
    </message>
    <message>
        <source>Statistics are for office heads.</source>
        <translation>Le statistiche sono riservate ai dirigenti.</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>Calcolo in corso…</translation>
    </message>
    <message>
        <source>{0} pages: key figures, charts, tables.</source>
        <translation>{0} pagine: indicatori, grafici, tabelle.</translation>
    </message>
    <message>
        <source>Turnaround statistics</source>
        <translation>Statistiche sui tempi di lavorazione</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>File CSV (*.csv)</translation>
    </message>
    <message>
        <source>Excel files (*.xlsx)</source>
        <translation>File Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Esporta</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>Salvato {0}</translation>
    </message>
    <message>
        <source>Write the server address as postgresql://USER@HOST[:PORT]/DATABASE.</source>
        <translation>Scrivere l&apos;indirizzo del server nella forma postgresql://UTENTE@HOST[:PORTA]/DATABASE.</translation>
    </message>
    <message>
        <source>Do not put the password in the address: use the Password field.</source>
        <translation>Non scrivere la password nell&apos;indirizzo: usare il campo Password.</translation>
    </message>
    <message>
        <source>Write the user name given by the administrator.</source>
        <translation>Scrivere il nome utente assegnato dall&apos;amministratore.</translation>
    </message>
    <message>
        <source>The address names user {0}: write the same user.</source>
        <translation>L&apos;indirizzo indica l&apos;utente {0}: scrivere lo stesso utente.</translation>
    </message>
    <message>
        <source>Connection failed: {0}</source>
        <translation>Collegamento non riuscito: {0}</translation>
    </message>
    <message>
        <source>Connect to the server</source>
        <translation>Collega al server</translation>
    </message>
    <message>
        <source>This workstation will keep a copy (replica) of the dossiers you may see and work on it even when the network is down; changes travel to the server as soon as it answers.</source>
        <translation>La postazione terrà una copia (replica) delle pratiche che l&apos;utente può vedere e ci lavorerà anche senza rete; le modifiche arrivano al server appena risponde.</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Collega</translation>
    </message>
    <message>
        <source>Server &amp;address:</source>
        <translation>&amp;Indirizzo del server:</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Utente:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <source>The password is kept in the system keyring, never in a file.</source>
        <translation>La password viene custodita nel portachiavi di sistema, mai in un file.</translation>
    </message>
    <message>
        <source>This computer has no system keyring: the password will not be saved, and Raccordo will ask for it at each start.</source>
        <translation>Questo computer non ha un portachiavi di sistema: la password non verrà salvata e Raccordo la chiederà a ogni avvio.</translation>
    </message>
    <message>
        <source>Checking the server and downloading the replica…</source>
        <translation>Verifica del server e scaricamento della replica…</translation>
    </message>
    <message>
        <source>Downloading the replica: {0} ({1} rows), {2} rows in all</source>
        <translation>Scaricamento della replica: {0} ({1} righe), {2} righe in tutto</translation>
    </message>
    <message>
        <source>offices</source>
        <translation>uffici</translation>
    </message>
    <message>
        <source>staff</source>
        <translation>personale</translation>
    </message>
    <message>
        <source>procedure types</source>
        <translation>tipi di procedimento</translation>
    </message>
    <message>
        <source>workflow states</source>
        <translation>stati dei procedimenti</translation>
    </message>
    <message>
        <source>workflow transitions</source>
        <translation>passaggi di stato</translation>
    </message>
    <message>
        <source>legal terms</source>
        <translation>termini di legge</translation>
    </message>
    <message>
        <source>dossiers</source>
        <translation>pratiche</translation>
    </message>
    <message>
        <source>dossier history</source>
        <translation>storia delle pratiche</translation>
    </message>
    <message>
        <source>opinions</source>
        <translation>pareri</translation>
    </message>
    <message>
        <source>pending items</source>
        <translation>segnalazioni</translation>
    </message>
    <message>
        <source>Server password</source>
        <translation>Password del server</translation>
    </message>
    <message>
        <source>Password for {0}:</source>
        <translation>Password per {0}:</translation>
    </message>
    <message>
        <source>This computer has no system keyring: Raccordo does not save the password and asks for it at each start.</source>
        <translation>Questo computer non ha un portachiavi di sistema: Raccordo non salva la password e la chiede a ogni avvio.</translation>
    </message>
    <message>
        <source>The keyring holds no password for this server.</source>
        <translation>Il portachiavi non contiene una password per questo server.</translation>
    </message>
    <message>
        <source>Without it Raccordo opens the replica offline.</source>
        <translation>Senza password Raccordo apre la replica non in linea.</translation>
    </message>
    <message numerus="yes">
        <source>%n new conflict(s)</source>
        <translation>
            <numerusform>%n nuovo conflitto</numerusform>
            <numerusform>%n nuovi conflitti</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) refused by the server</source>
        <translation>
            <numerusform>%n modifica rifiutata dal server</numerusform>
            <numerusform>%n modifiche rifiutate dal server</numerusform>
        </translation>
    </message>
    <message>
        <source>{0}: see Conflicts ({1})</source>
        <translation>{0}: vedere Conflitti ({1})</translation>
    </message>
    <message>
        <source>Connecting to the server…</source>
        <translation>Collegamento al server…</translation>
    </message>
    <message>
        <source>Sync refused: {0}</source>
        <translation>Sincronizzazione rifiutata: {0}</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>In linea</translation>
    </message>
    <message>
        <source>server unreachable</source>
        <translation>server non raggiungibile</translation>
    </message>
    <message>
        <source>Offline: {0}</source>
        <translation>Non in linea: {0}</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) queued</source>
        <translation>
            <numerusform>%n modifica in coda</numerusform>
            <numerusform>%n modifiche in coda</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n document(s) not downloaded yet</source>
        <translation>
            <numerusform>%n documento non ancora scaricato</numerusform>
            <numerusform>%n documenti non ancora scaricati</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) in quarantine</source>
        <translation>
            <numerusform>%n elemento in quarantena</numerusform>
            <numerusform>%n elementi in quarantena</numerusform>
        </translation>
    </message>
    <message>
        <source>received from the server but not stored here; tried again at every sync</source>
        <translation>ricevuti dal server ma non registrati qui; riprovati a ogni sincronizzazione</translation>
    </message>
    <message>
        <source>Items in quarantine: see raccordo sync status</source>
        <translation>Elementi in quarantena: vedere raccordo sync status</translation>
    </message>
    <message>
        <source>{0} · content not downloaded yet</source>
        <translation>{0} · contenuto non ancora scaricato</translation>
    </message>
    <message>
        <source>last sync {0}</source>
        <translation>ultima sincronizzazione {0}</translation>
    </message>
    <message>
        <source>never synced</source>
        <translation>mai sincronizzato</translation>
    </message>
    <message>
        <source>Server: {0}</source>
        <translation>Server: {0}</translation>
    </message>
    <message>
        <source>Last error: {0}</source>
        <translation>Ultimo errore: {0}</translation>
    </message>
    <message>
        <source>server unreachable ({0})</source>
        <translation>server non raggiungibile ({0})</translation>
    </message>
    <message>
        <source>replica of {0}</source>
        <translation>replica di {0}</translation>
    </message>
    <message>
        <source>The server has no staff member {0}: ask the administrator.</source>
        <translation>Il server non ha l&apos;utente {0}: rivolgersi all&apos;amministratore.</translation>
    </message>
    <message>
        <source>Disconnect this workstation from {0}? Raccordo goes back to the local database and deletes the replica.</source>
        <translation>Scollegare la postazione da {0}? Raccordo torna al database locale e cancella la replica.</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) not sent to the server yet: they stay in this replica only and will not reach the server.</source>
        <translation>
            <numerusform>%n modifica non ancora inviata al server: resta solo in questa replica e non arriverà al server.</numerusform>
            <numerusform>%n modifiche non ancora inviate al server: restano solo in questa replica e non arriveranno al server.</numerusform>
        </translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Scollega</translation>
    </message>
    <message>
        <source>No user in the database.</source>
        <translation>Nessun utente nel database.</translation>
    </message>
    <message>
        <source>Application list</source>
        <translation>Elenco domande</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Documento</translation>
    </message>
    <message>
        <source>Other file</source>
        <translation>Altro file</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Importato</translation>
    </message>
    <message>
        <source>Rejected, put back</source>
        <translation>Scartato, rimesso in arrivo</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Scartato</translation>
    </message>
    <message>
        <source>No inbox folder is configured, so nothing is imported automatically. To set one, write in raccordo.ini, in the workstation folder or in the office&apos;s site file:
[inbox]
dir = \\server\arrivo\SUI
then start Raccordo again. The administrator&apos;s guide explains the folder&apos;s use.</source>
        <translation>Nessuna cartella di arrivo è configurata: nulla viene importato automaticamente. Per indicarla, scriva in raccordo.ini, nella cartella della postazione o nel file comune dell&apos;ufficio:
[inbox]
dir = \\server\arrivo\SUI
poi riavvii Raccordo. La guida dell&apos;amministratore spiega l&apos;uso della cartella.</translation>
    </message>
    <message>
        <source>polling</source>
        <translation>interrogazione periodica</translation>
    </message>
    <message>
        <source>system events</source>
        <translation>eventi di sistema</translation>
    </message>
    <message>
        <source>never</source>
        <translation>mai</translation>
    </message>
    <message>
        <source>Inbox folder {0} unreachable ({1}); last successful scan: {2}</source>
        <translation>Cartella di arrivo {0} non raggiungibile ({1}); ultima scansione riuscita: {2}</translation>
    </message>
    <message>
        <source>Inbox folder {0} ({1}); last successful scan: {2}</source>
        <translation>Cartella di arrivo {0} ({1}); ultima scansione riuscita: {2}</translation>
    </message>
    <message>
        <source>Inbox unreachable (last scan {0})</source>
        <translation>Arrivo non raggiungibile (ultima scansione {0})</translation>
    </message>
    <message>
        <source>Inbox: last scan {0}</source>
        <translation>Arrivo: ultima scansione {0}</translation>
    </message>
    <message>
        <source>Inbox: {0} rejected, see Imports</source>
        <translation>Arrivo: {0} scartato, vedere Importazioni</translation>
    </message>
    <message>
        <source>Inbox: {0} attached to dossier {1}</source>
        <translation>Arrivo: {0} allegato alla pratica {1}</translation>
    </message>
    <message>
        <source>Inbox: {0} split into {1} documents, each attached to its dossier</source>
        <translation>Arrivo: {0} diviso in {1} documenti, ciascuno allegato alla sua pratica</translation>
    </message>
    <message>
        <source>Inbox: {0} imported ({1} new, {2} updated, {3} unchanged)</source>
        <translation>Arrivo: {0} importato ({1} nuove, {2} aggiornate, {3} invariate)</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Nuove</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Aggiornate</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>Invariate</translation>
    </message>
    <message>
        <source>Rejected rows</source>
        <translation>Righe scartate</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>Postazione</translation>
    </message>
    <message>
        <source>Details of the selected import</source>
        <translation>Dettagli dell&apos;importazione selezionata</translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation>&amp;Riprova</translation>
    </message>
    <message>
        <source>Put the file, fixed meanwhile, back into the inbox folder to be read again</source>
        <translation>Rimette il file, corretto nel frattempo, nella cartella di arrivo perché sia riletto</translation>
    </message>
    <message>
        <source>Open &amp;folder</source>
        <translation>Apri &amp;cartella</translation>
    </message>
    <message>
        <source>Stored as {0}
SHA-256 {1}</source>
        <translation>Archiviato come {0}
SHA-256 {1}</translation>
    </message>
    <message>
        <source>Put back as {0}: it will be read again</source>
        <translation>Rimesso in arrivo come {0}: sarà riletto</translation>
    </message>
    <message>
        <source>Inbox: starting…</source>
        <translation>Arrivo: avvio…</translation>
    </message>
    <message>
        <source>Inbox: {0}</source>
        <translation>Arrivo: {0}</translation>
    </message>
    <message>
        <source>closed on {0}</source>
        <translation>chiusa il {0}</translation>
    </message>
    <message>
        <source>{0}, {1} days late</source>
        <translation>{0}, in ritardo di {1} giorni</translation>
    </message>
    <message>
        <source>{0}, {1} days left</source>
        <translation>{0}, mancano {1} giorni</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ Precedente</translation>
    </message>
    <message>
        <source>Previous dossier in the list ({0})</source>
        <translation>Pratica precedente dell&apos;elenco ({0})</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>Successiva ▶</translation>
    </message>
    <message>
        <source>Next dossier in the list ({0})</source>
        <translation>Pratica successiva dell&apos;elenco ({0})</translation>
    </message>
    <message>
        <source>Take it</source>
        <translation>Prendi in carico</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Apri</translation>
    </message>
    <message>
        <source>Open the dossier in its window (Enter)</source>
        <translation>Apri la pratica nella sua finestra (Invio)</translation>
    </message>
    <message>
        <source>Select a dossier to see its preview here.</source>
        <translation>Seleziona una pratica per vederne qui l&apos;anteprima.</translation>
    </message>
    <message>
        <source>Assignment</source>
        <translation>Assegnazione</translation>
    </message>
    <message>
        <source>&amp;Actions on the selected dossiers</source>
        <translation>&amp;Azioni sulle pratiche selezionate</translation>
    </message>
    <message>
        <source>&amp;Move to state…</source>
        <translation>&amp;Porta allo stato…</translation>
    </message>
    <message>
        <source>&amp;Request the parere</source>
        <translation>&amp;Richiedi il parere</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Richiesta di parere</translation>
    </message>
    <message>
        <source>&amp;Take them</source>
        <translation>Prendi in &amp;carico</translation>
    </message>
    <message>
        <source>Take</source>
        <translation>Presa in carico</translation>
    </message>
    <message>
        <source>Release</source>
        <translation>Lascia</translation>
    </message>
    <message>
        <source>Re&amp;lease them</source>
        <translation>&amp;Lasciale</translation>
    </message>
    <message>
        <source>Move to state</source>
        <translation>Porta allo stato</translation>
    </message>
    <message>
        <source>State to move the selected dossiers to (each only where its workflow allows):</source>
        <translation>Stato a cui portare le pratiche selezionate (ciascuna solo dove il suo procedimento lo consente):</translation>
    </message>
    <message>
        <source>Bulk action</source>
        <translation>Azione sulle selezionate</translation>
    </message>
    <message>
        <source>Select the dossiers in the list first.</source>
        <translation>Seleziona prima le pratiche nell&apos;elenco.</translation>
    </message>
    <message>
        <source>Bulk action: {0}</source>
        <translation>Azione sulle selezionate: {0}</translation>
    </message>
    <message>
        <source>The dossier is no longer assigned to you</source>
        <translation>La pratica non sarà più assegnata a te</translation>
    </message>
    <message>
        <source>Assign the dossier to yourself: it appears in «My dossiers»</source>
        <translation>Assegna a te la pratica: compare in «Le mie pratiche»</translation>
    </message>
    <message>
        <source>Only staff of the holding office take a dossier</source>
        <translation>Solo il personale dell&apos;ufficio presso cui si trova la pratica può prenderla in carico</translation>
    </message>
    <message>
        <source>Assigned to</source>
        <translation>Assegnata a</translation>
    </message>
    <message>
        <source>No open items.</source>
        <translation>Nessuna segnalazione aperta.</translation>
    </message>
    <message>
        <source>Next action: {0}</source>
        <translation>Prossima azione: {0}</translation>
    </message>
    <message>
        <source>&amp;Save search…</source>
        <translation>&amp;Salva ricerca…</translation>
    </message>
    <message>
        <source>Saved searches</source>
        <translation>Ricerche salvate</translation>
    </message>
    <message>
        <source>Ready-made search for your role</source>
        <translation>Ricerca predefinita per il tuo ruolo</translation>
    </message>
    <message>
        <source>Your saved search (right click to delete it)</source>
        <translation>Una tua ricerca salvata (clic destro per eliminarla)</translation>
    </message>
    <message>
        <source>Save search</source>
        <translation>Salva ricerca</translation>
    </message>
    <message>
        <source>Name of the search (it keeps the text searched, the filters and the order):</source>
        <translation>Nome della ricerca (conserva il testo cercato, i filtri e l&apos;ordinamento):</translation>
    </message>
    <message>
        <source>Delete the saved search «{0}»</source>
        <translation>Elimina la ricerca salvata «{0}»</translation>
    </message>
    <message>
        <source>New items for your office, pareri returned, dossiers entering their last 7 days</source>
        <translation>Nuove segnalazioni per il tuo ufficio, pareri restituiti, pratiche che entrano negli ultimi 7 giorni</translation>
    </message>
    <message>
        <source>Notices</source>
        <translation>Avvisi</translation>
    </message>
    <message>
        <source>Notices: {0}</source>
        <translation>Avvisi: {0}</translation>
    </message>
    <message>
        <source>Sportello Unico clerk</source>
        <translation>Impiegato dello Sportello Unico</translation>
    </message>
    <message>
        <source>Questura officer</source>
        <translation>Funzionario della Questura</translation>
    </message>
    <message>
        <source>Head of office</source>
        <translation>Responsabile d&apos;ufficio</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Amministratore</translation>
    </message>
    <message>
        <source>Refused dossiers</source>
        <translation>Pratiche rifiutate</translation>
    </message>
    <message>
        <source>Print letters: {0}</source>
        <translation>Stampa lettere: {0}</translation>
    </message>
    <message>
        <source>Printing the PDF records each letter on its dossier.</source>
        <translation>Alla stampa del PDF ogni lettera viene registrata sulla sua pratica.</translation>
    </message>
    <message>
        <source>&amp;Print letters…</source>
        <translation>&amp;Stampa lettere…</translation>
    </message>
    <message>
        <source>One letter for each selected dossier, in one PDF</source>
        <translation>Una lettera per ciascuna pratica selezionata, in un solo PDF</translation>
    </message>
    <message>
        <source>&amp;Letters of the selected dossiers…</source>
        <translation>&amp;Lettere delle pratiche selezionate…</translation>
    </message>
    <message>
        <source>Print letters</source>
        <translation>Stampa lettere</translation>
    </message>
    <message>
        <source>Preparing the letters…</source>
        <translation>Preparazione delle lettere…</translation>
    </message>
    <message>
        <source>{0} dossiers selected: one letter for each, in one PDF. The dossiers the letter is not allowed for are listed apart, with the reason.</source>
        <translation>{0} pratiche selezionate: una lettera per ciascuna, in un solo PDF. Le pratiche per cui la lettera non è ammessa sono elencate a parte, con il motivo.</translation>
    </message>
    <message>
        <source>hh:mm</source>
        <translation>hh:mm</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>the same time for all</source>
        <translation>stessa ora per tutti</translation>
    </message>
    <message>
        <source>&amp;Letter:</source>
        <translation>&amp;Lettera:</translation>
    </message>
    <message>
        <source>Appointment &amp;date:</source>
        <translation>&amp;Data dell&apos;appuntamento:</translation>
    </message>
    <message>
        <source>&amp;First appointment at:</source>
        <translation>&amp;Primo appuntamento alle:</translation>
    </message>
    <message>
        <source>&amp;Interval between appointments:</source>
        <translation>&amp;Intervallo tra gli appuntamenti:</translation>
    </message>
    <message>
        <source>&amp;Prepare the PDF</source>
        <translation>Prepara la &amp;stampa</translation>
    </message>
</context>
</TS>
