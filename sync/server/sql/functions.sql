-- Functions of a Raccordo server, installed by `raccordo server init` (sync/server/install.py).
-- Placeholders: @S@ the server's schema (= the prefix), @OWNER@ @ADMIN@ @SUI@ @QUESTURA@
-- @RESTRICTED@ role names, @FIELDS@ the dossier's editable fields and @LABELS@ their
-- Italian names, @SKIPPED@ the columns
-- the audit ignores, @LOCK@ the audit chain's advisory lock.
-- Every function has a fixed search_path and names tables with their schema.

-- May the caller act for this office kind ('sui' / 'questura')? Admins act for both;
-- everyone else (clerks, officers, heads) for the office whose group they belong to.
CREATE OR REPLACE FUNCTION @S@.acts_for(kind text) RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_has_role(current_user, '@ADMIN@', 'MEMBER')
        OR (kind = 'sui' AND pg_has_role(current_user, '@SUI@', 'MEMBER'))
        OR (kind = 'questura' AND pg_has_role(current_user, '@QUESTURA@', 'MEMBER'))
$$;

CREATE OR REPLACE FUNCTION @S@.office_label(kind text) RETURNS text
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE kind WHEN 'sui' THEN 'allo Sportello Unico' WHEN 'questura' THEN 'alla Questura'
                     ELSE 'a ' || coalesce(kind, '—') END
$$;

CREATE OR REPLACE FUNCTION @S@.refuse(message text) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = message;
END
$$;

-- Change feed. Fired first on every write of a synced table: the sync_counter row stays
-- locked until commit, so writers are serialised and feed positions become visible in
-- commit order (a reader never skips a late commit; docs/sync-design.md).
CREATE OR REPLACE FUNCTION @S@.feed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    position bigint;
BEGIN
    UPDATE public.sync_counter SET value = value + 1 WHERE id = 1 RETURNING value INTO position;
    IF position IS NULL THEN
        RAISE EXCEPTION 'sync_counter senza la sua riga: rieseguire raccordo server init';
    END IF;
    NEW.change_seq := position;
    NEW.updated_at := now();
    IF TG_OP = 'INSERT' THEN
        NEW.created_at := now();
    END IF;
    PERFORM pg_notify('raccordo_changes', position::text);
    RETURN NEW;
END
$$;

-- Protocol register (DPR 445/2000 art. 57): per office and year of the server's clock,
-- gapless; the counter row stays locked until commit, a rollback gives the number back.
CREATE OR REPLACE FUNCTION @S@.assign_protocol() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    office_code text;
BEGIN
    IF NEW.protocol_number IS NOT NULL THEN
        IF (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user) THEN
            RETURN NEW;  -- a superuser's direct registration, numbered from the same counter
        END IF;
        PERFORM @S@.refuse('il numero di protocollo è assegnato dal server');
    END IF;
    NEW.protocol_year := extract(year FROM now() AT TIME ZONE 'Europe/Rome')::integer;
    INSERT INTO public.protocol_counters (office_id, year, last_number)
    VALUES (NEW.protocol_office_id, NEW.protocol_year, 0)
    ON CONFLICT DO NOTHING;
    UPDATE public.protocol_counters SET last_number = last_number + 1
    WHERE office_id = NEW.protocol_office_id AND year = NEW.protocol_year
    RETURNING last_number INTO NEW.protocol_number;
    SELECT o.code INTO office_code FROM public.offices o WHERE o.id = NEW.protocol_office_id;
    -- Searchable at once; the writing client recomputes the whole key later.
    NEW.search_key := btrim(coalesce(NEW.search_key, '') || ' ' || lower(
        office_code || '/' || NEW.protocol_year || '/' || lpad(NEW.protocol_number::text, 7, '0')
    ));
    RETURN NEW;
END
$$;

-- The short number people use for a pending item: always the server's.
CREATE OR REPLACE FUNCTION @S@.assign_flag_number() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    NEW.number := nextval('@S@.flag_numbers');
    RETURN NEW;
END
$$;

-- Dossier fields and transitions belong to offices (models/permissions.py): every field
-- to the procedure's lead office except the CUI (the Questura's); each move to the
-- office of its workflow_transitions row. The holder and its office are the server's,
-- from the state; the other derived columns are checked at commit (check_facts). Runs
-- as the caller.
CREATE OR REPLACE FUNCTION @S@.guard_dossier() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    lead text;
    type_restricted boolean;
    field text;
    owner_office text;
    mover text;
    old_row jsonb;
    new_row jsonb;
    holds text;
    old_assignee uuid;
BEGIN
    SELECT p.lead_office, p.restricted INTO lead, type_restricted
    FROM public.procedure_types p WHERE p.id = NEW.procedure_type_id;
    SELECT s.holder INTO holds FROM public.workflow_states s
    WHERE s.procedure_type_id = NEW.procedure_type_id AND s.code = NEW.state
      AND s.deleted_at IS NULL;
    NEW.holder := coalesce(holds, NEW.holder);
    IF holds NOT IN ('sui', 'questura') THEN
        NEW.holder_office_id := NULL;
    ELSIF NOT EXISTS (SELECT 1 FROM public.offices o JOIN public.offices p
                      ON p.id = NEW.protocol_office_id AND p.province = o.province
                      WHERE o.id = NEW.holder_office_id AND o.kind = holds) THEN
        NEW.holder_office_id := (SELECT o.id FROM public.offices o JOIN public.offices p
                                 ON p.id = NEW.protocol_office_id AND p.province = o.province
                                 WHERE o.kind = holds AND o.deleted_at IS NULL
                                 ORDER BY o.code LIMIT 1);
    END IF;
    -- Personal assignment (assegnata a): set by staff of the holding office, to an active
    -- colleague of that office; dropped by them, or when the file leaves that office.
    IF TG_OP = 'UPDATE' THEN
        old_assignee := OLD.assigned_to_id;
    END IF;
    IF NEW.assigned_to_id IS DISTINCT FROM old_assignee AND NOT coalesce(
            (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user), false) THEN
        IF NOT EXISTS (SELECT 1 FROM public.staff s WHERE s.username = session_user
                       AND s.deleted_at IS NULL AND s.office_id = NEW.holder_office_id)
           AND NOT (NEW.assigned_to_id IS NULL
                    AND NEW.holder_office_id IS DISTINCT FROM OLD.holder_office_id) THEN
            PERFORM @S@.refuse('assegnare la pratica spetta al personale dell''ufficio '
                'presso cui si trova');
        END IF;
        IF NEW.assigned_to_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM public.staff s WHERE s.id = NEW.assigned_to_id AND s.active
                AND s.deleted_at IS NULL AND s.office_id = NEW.holder_office_id) THEN
            PERFORM @S@.refuse('la pratica si assegna solo a una persona attiva dell''ufficio '
                'presso cui si trova');
        END IF;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NOT @S@.acts_for(lead) THEN
            PERFORM @S@.refuse(format('registrare pratiche di questo tipo spetta %s',
                @S@.office_label(lead)));
        END IF;
        IF coalesce(NEW.cui, '') <> '' AND NOT @S@.acts_for('questura') THEN
            PERFORM @S@.refuse('il campo «CUI» spetta alla Questura');
        END IF;
        NEW.restricted := NEW.restricted OR coalesce(type_restricted, false);
        RETURN NEW;
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id
        OR NEW.procedure_type_id IS DISTINCT FROM OLD.procedure_type_id
        OR NEW.protocol_office_id IS DISTINCT FROM OLD.protocol_office_id
        OR NEW.protocol_year IS DISTINCT FROM OLD.protocol_year
        OR NEW.protocol_number IS DISTINCT FROM OLD.protocol_number
        OR NEW.restricted IS DISTINCT FROM OLD.restricted THEN
        PERFORM @S@.refuse('tipo, protocollo e riservatezza di una pratica non si modificano');
    END IF;
    old_row := to_jsonb(OLD);
    new_row := to_jsonb(NEW);
    FOREACH field IN ARRAY @FIELDS@ || ARRAY['deleted_at'] LOOP
        CONTINUE WHEN old_row -> field IS NOT DISTINCT FROM new_row -> field;
        owner_office := CASE WHEN field = 'cui' THEN 'questura' ELSE lead END;
        IF NOT @S@.acts_for(owner_office) THEN
            PERFORM @S@.refuse(format('il campo «%s» spetta %s',
                coalesce(@LABELS@ ->> field, field), @S@.office_label(owner_office)));
        END IF;
        IF OLD.closed_on IS NOT NULL AND field NOT IN ('cui', 'deleted_at') THEN
            PERFORM @S@.refuse(format('pratica chiusa: il campo «%s» non si modifica',
                coalesce(@LABELS@ ->> field, field)));
        END IF;
    END LOOP;
    IF NEW.state IS DISTINCT FROM OLD.state THEN
        SELECT t.actor_office INTO mover FROM public.workflow_transitions t
        WHERE t.procedure_type_id = OLD.procedure_type_id AND t.from_state = OLD.state
          AND t.to_state = NEW.state AND t.deleted_at IS NULL;
        IF mover IS NULL OR NOT @S@.acts_for(mover) THEN
            -- An undo goes back along a move the caller may make (models/services/undo.py);
            -- the history must then hold the undo itself, which check_facts verifies.
            IF EXISTS (SELECT 1 FROM public.workflow_transitions t
                       WHERE t.procedure_type_id = OLD.procedure_type_id
                         AND t.from_state = NEW.state AND t.to_state = OLD.state
                         AND NOT t.via_parere AND t.deleted_at IS NULL
                         AND @S@.acts_for(t.actor_office)) THEN
                RETURN NEW;
            END IF;
        END IF;
        IF mover IS NULL THEN
            PERFORM @S@.refuse(format('passaggio da «%s» a «%s» non previsto', OLD.state, NEW.state));
        END IF;
        IF NOT @S@.acts_for(mover) THEN
            PERFORM @S@.refuse(format('il passaggio da «%s» a «%s» spetta %s',
                OLD.state, NEW.state, @S@.office_label(mover)));
        END IF;
    END IF;
    RETURN NEW;
END
$$;

-- History rows: insert-only. The server writes who, for which office and when (the
-- caller's staff row; a move in the name of the office its workflow row names) and the
-- order within the dossier; a state-entering row must continue the dossier's history
-- with a move of the workflow that the caller may make, dated neither in the future nor
-- before the last move. The commit check (check_facts) then requires the dossier to be
-- in the state its history gives. Only two later writes: a registration's date follows
-- filed_on (written by filed_on's office), and the push writes the server's number into
-- a pending item's history line in the transaction that inserted it.
CREATE OR REPLACE FUNCTION @S@.guard_event() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    trusted boolean := coalesce(
        (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user), false);
    today date := (now() AT TIME ZONE 'Europe/Rome')::date;
    caller_id uuid;
    caller_office uuid;
    caller_kind text;
    office_kind text;
    dossier record;
    initial text;
    last_state text;
    last_on date;
    mover text;
    via boolean;
    undone record;
    issuer text;
BEGIN
    SELECT d.procedure_type_id, d.protocol_office_id, d.filed_on, p.lead_office, o.province,
           o.kind AS protocol_kind
    INTO dossier
    FROM public.dossiers d
    JOIN public.procedure_types p ON p.id = d.procedure_type_id
    JOIN public.offices o ON o.id = d.protocol_office_id
    WHERE d.id = NEW.dossier_id;
    IF TG_OP = 'UPDATE' THEN
        IF NEW.dossier_id IS DISTINCT FROM OLD.dossier_id OR NEW.kind IS DISTINCT FROM OLD.kind
            OR NEW.from_state IS DISTINCT FROM OLD.from_state
            OR NEW.to_state IS DISTINCT FROM OLD.to_state
            OR NEW.actor_id IS DISTINCT FROM OLD.actor_id
            OR NEW.office_id IS DISTINCT FROM OLD.office_id
            OR NEW.entered_at IS DISTINCT FROM OLD.entered_at
            OR NEW.seq IS DISTINCT FROM OLD.seq
            OR NEW.created_at IS DISTINCT FROM OLD.created_at
            OR NEW.deleted_at IS DISTINCT FROM OLD.deleted_at
            OR (NEW.effective_on IS DISTINCT FROM OLD.effective_on
                AND NOT (OLD.kind = 'registered' AND @S@.acts_for(dossier.lead_office)))
            OR (NEW.note IS DISTINCT FROM OLD.note AND OLD.created_at IS DISTINCT FROM now()) THEN
            PERFORM @S@.refuse('la cronologia di una pratica non si riscrive');
        END IF;
        RETURN NEW;
    END IF;
    IF dossier.procedure_type_id IS NULL THEN
        RETURN NEW;  -- no visible dossier: the foreign key or the policy refuses the row
    END IF;
    IF NOT trusted THEN  -- a superuser's service layer writes for the staff member it names
        SELECT s.id, s.office_id, o.kind INTO caller_id, caller_office, caller_kind
        FROM public.staff s JOIN public.offices o ON o.id = s.office_id
        WHERE s.username = session_user AND s.deleted_at IS NULL;
        IF caller_id IS NULL THEN
            PERFORM @S@.refuse('questo accesso non corrisponde a un utente di Raccordo');
        END IF;
        IF NEW.actor_id IS NOT NULL AND NEW.actor_id <> caller_id THEN
            PERFORM @S@.refuse('un evento si registra solo a proprio nome');
        END IF;
    END IF;
    IF NEW.office_id IS NOT NULL THEN
        SELECT o.kind INTO office_kind FROM public.offices o WHERE o.id = NEW.office_id;
        IF NOT @S@.acts_for(office_kind) THEN
            PERFORM @S@.refuse('un evento si registra solo per il proprio ufficio');
        END IF;
    END IF;
    IF NOT trusted THEN
        NEW.actor_id := caller_id;
        NEW.office_id := caller_office;
        NEW.entered_at := now();
    END IF;
    SELECT coalesce(max(e.seq) + 1, 0) INTO NEW.seq
    FROM public.dossier_events e WHERE e.dossier_id = NEW.dossier_id;
    IF NEW.effective_on > today THEN
        PERFORM @S@.refuse(format('data di efficacia nel futuro (%s)',
            to_char(NEW.effective_on, 'DD/MM/YYYY')));
    END IF;
    IF NEW.from_state IS NULL AND NEW.to_state IS NULL THEN
        IF NEW.kind IN ('registered', 'transition', 'parere_given') THEN
            PERFORM @S@.refuse(format('un evento «%s» registra un passaggio di stato', NEW.kind));
        END IF;
        -- The applicant's observations on a preavviso feed the clock: the lead office's.
        IF NEW.kind = 'observations' AND NOT @S@.acts_for(dossier.lead_office) THEN
            PERFORM @S@.refuse(format('registrare le osservazioni spetta %s',
                @S@.office_label(dossier.lead_office)));
        END IF;
        -- A letter is printed by the office that issues it (models/services/letter_rules.py):
        -- the protocol office's, or the other one's (the parere's communication); the
        -- cover sheet and the transmittal slip by either. An administrator printing the
        -- other office's letter prints it in that office's name, as for a move.
        IF NEW.kind = 'printed' THEN
            issuer := CASE
                WHEN NEW.note = ANY(@COUNTERPART_LETTERS@) THEN
                    CASE dossier.protocol_kind WHEN 'sui' THEN 'questura' ELSE 'sui' END
                WHEN NEW.note = ANY(@LEAD_LETTERS@) THEN dossier.protocol_kind
            END;
            IF issuer IS NOT NULL AND NOT @S@.acts_for(issuer) THEN
                PERFORM @S@.refuse(format('la stampa del modulo «%s» spetta %s',
                    substr(NEW.note, length('stampato: ') + 1), @S@.office_label(issuer)));
            END IF;
            IF issuer IS NOT NULL AND NOT trusted AND caller_kind IS DISTINCT FROM issuer THEN
                NEW.office_id := coalesce((SELECT o.id FROM public.offices o
                    WHERE o.kind = issuer AND o.province = dossier.province
                      AND o.deleted_at IS NULL ORDER BY o.code LIMIT 1), caller_office);
            END IF;
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.kind = 'undone' THEN
        -- The undo of the dossier's last event, a move the caller made minutes ago
        -- (models/services/undo.py): back to the state that move left, on its date.
        SELECT e.kind, e.from_state, e.to_state, e.effective_on, e.actor_id, e.entered_at
        INTO undone FROM public.dossier_events e
        WHERE e.dossier_id = NEW.dossier_id AND e.deleted_at IS NULL
        ORDER BY e.seq DESC LIMIT 1;
        IF undone.kind IS DISTINCT FROM 'transition'
            OR undone.to_state IS DISTINCT FROM NEW.from_state
            OR undone.from_state IS DISTINCT FROM NEW.to_state
            OR undone.effective_on IS DISTINCT FROM NEW.effective_on THEN
            PERFORM @S@.refuse('si annulla solo l''ultimo passaggio di stato, se dopo non è accaduto altro');
        END IF;
        IF NOT trusted AND (undone.actor_id IS DISTINCT FROM caller_id
            OR undone.entered_at < now() - interval '@UNDO_MINUTES@ minutes') THEN
            PERFORM @S@.refuse('un passaggio si annulla solo da chi lo ha fatto, entro @UNDO_MINUTES@ minuti');
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.kind NOT IN ('registered', 'transition', 'parere_given') THEN
        PERFORM @S@.refuse(format('un evento «%s» non registra un passaggio di stato', NEW.kind));
    END IF;
    SELECT s.code INTO initial FROM public.workflow_states s
    WHERE s.procedure_type_id = dossier.procedure_type_id AND s.deleted_at IS NULL
    ORDER BY s.position LIMIT 1;
    -- The dossier's last move (the registration only when there is none).
    SELECT e.to_state, e.effective_on INTO last_state, last_on FROM public.dossier_events e
    WHERE e.dossier_id = NEW.dossier_id AND e.to_state IS NOT NULL AND e.deleted_at IS NULL
    ORDER BY e.kind <> 'registered' DESC, e.effective_on DESC, e.seq DESC, e.change_seq DESC
    LIMIT 1;
    IF NEW.kind = 'registered' THEN
        IF NEW.from_state IS NOT NULL OR NEW.to_state IS DISTINCT FROM initial
            OR last_state IS NOT NULL THEN
            PERFORM @S@.refuse('la registrazione è il primo evento della pratica, nel suo stato iniziale');
        END IF;
        IF NEW.effective_on IS DISTINCT FROM dossier.filed_on THEN
            PERFORM @S@.refuse('la registrazione ha la data di presentazione della pratica');
        END IF;
        IF NOT trusted THEN
            NEW.office_id := dossier.protocol_office_id;
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.from_state IS DISTINCT FROM coalesce(last_state, initial) THEN
        PERFORM @S@.refuse(format(
            'passaggio da «%s» non coerente con la cronologia della pratica (ultimo stato «%s»)',
            NEW.from_state, coalesce(last_state, initial)));
    END IF;
    SELECT t.actor_office, t.via_parere INTO mover, via FROM public.workflow_transitions t
    WHERE t.procedure_type_id = dossier.procedure_type_id AND t.from_state = NEW.from_state
      AND t.to_state = NEW.to_state AND t.deleted_at IS NULL;
    IF mover IS NULL THEN
        PERFORM @S@.refuse(format('passaggio da «%s» a «%s» non previsto',
            NEW.from_state, NEW.to_state));
    END IF;
    IF NOT @S@.acts_for(mover) THEN
        PERFORM @S@.refuse(format('il passaggio da «%s» a «%s» spetta %s',
            NEW.from_state, NEW.to_state, @S@.office_label(mover)));
    END IF;
    IF via <> (NEW.kind = 'parere_given') THEN
        PERFORM @S@.refuse(format('il passaggio da «%s» a «%s» %s', NEW.from_state, NEW.to_state,
            CASE WHEN via THEN 'si registra con il parere' ELSE 'non è un parere' END));
    END IF;
    IF NEW.effective_on < last_on THEN
        PERFORM @S@.refuse(format(
            'data di efficacia (%s) precedente all''ultimo passaggio di stato (%s)',
            to_char(NEW.effective_on, 'DD/MM/YYYY'), to_char(last_on, 'DD/MM/YYYY')));
    END IF;
    IF NOT trusted AND caller_kind IS DISTINCT FROM mover THEN
        -- An administrator making the other office's move: recorded for that office.
        NEW.office_id := coalesce((SELECT o.id FROM public.offices o
            WHERE o.kind = mover AND o.province = dossier.province AND o.deleted_at IS NULL
            ORDER BY o.code LIMIT 1), caller_office);
    END IF;
    RETURN NEW;
END
$$;

-- The parere is given by the office of the procedure's via_parere move (the Questura),
-- in the officer's own name, once; the request is made in the requester's own name and
-- never rewritten.
CREATE OR REPLACE FUNCTION @S@.guard_parere() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    giver text;
    trusted boolean := coalesce(
        (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user), false);
    caller_id uuid := (SELECT s.id FROM public.staff s WHERE s.username = session_user);
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.dossier_id IS DISTINCT FROM OLD.dossier_id
        OR (NEW.deleted_at IS DISTINCT FROM OLD.deleted_at
            AND NOT pg_has_role(current_user, '@ADMIN@', 'MEMBER')
            -- the undo of the move that asked it withdraws a request not yet answered
            AND NOT (OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL
                     AND OLD.given_on IS NULL AND OLD.requested_by_id = caller_id
                     AND OLD.created_at > now() - interval '@UNDO_MINUTES@ minutes')))
        THEN
        PERFORM @S@.refuse('un parere non si cancella né passa a un''altra pratica');
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.requested_on IS DISTINCT FROM OLD.requested_on
        OR NEW.requested_by_id IS DISTINCT FROM OLD.requested_by_id) THEN
        PERFORM @S@.refuse('la richiesta di parere non si riscrive');
    END IF;
    IF TG_OP = 'INSERT' AND NOT trusted THEN
        IF NEW.requested_by_id IS NOT NULL AND NEW.requested_by_id IS DISTINCT FROM caller_id THEN
            PERFORM @S@.refuse('un parere si richiede solo a proprio nome');
        END IF;
        NEW.requested_by_id := caller_id;
    END IF;
    IF TG_OP = 'INSERT' AND NEW.given_on IS NULL AND NEW.outcome IS NULL
        AND NEW.officer_id IS NULL THEN
        RETURN NEW;  -- the request
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.given_on IS NOT DISTINCT FROM OLD.given_on
        AND NEW.outcome IS NOT DISTINCT FROM OLD.outcome
        AND NEW.reasons IS NOT DISTINCT FROM OLD.reasons
        AND NEW.officer_id IS NOT DISTINCT FROM OLD.officer_id THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND (OLD.given_on IS NOT NULL OR OLD.outcome IS NOT NULL)
        AND NOT trusted THEN
        PERFORM @S@.refuse('un parere dato non si riscrive');
    END IF;
    SELECT t.actor_office INTO giver
    FROM public.dossiers d JOIN public.workflow_transitions t
      ON t.procedure_type_id = d.procedure_type_id AND t.via_parere AND t.deleted_at IS NULL
    WHERE d.id = NEW.dossier_id
    LIMIT 1;
    IF giver IS NOT NULL AND NOT @S@.acts_for(giver) THEN
        PERFORM @S@.refuse(format('il parere spetta %s', @S@.office_label(giver)));
    END IF;
    IF NOT trusted THEN
        IF NEW.officer_id IS NOT NULL AND NEW.officer_id IS DISTINCT FROM caller_id THEN
            PERFORM @S@.refuse('un parere si registra solo a proprio nome');
        END IF;
        NEW.officer_id := caller_id;
        IF NEW.given_on IS NULL OR NEW.outcome IS NULL OR NEW.given_on < NEW.requested_on
            OR NEW.given_on > (now() AT TIME ZONE 'Europe/Rome')::date THEN
            PERFORM @S@.refuse('un parere si dà con esito e data, dopo la richiesta e non nel futuro');
        END IF;
    END IF;
    RETURN NEW;
END
$$;

-- A pending item is raised in the caller's own name and office's name and resolved, in
-- the resolver's own name, by one of the two offices involved; what the raiser wrote
-- (category, text, whether it suspends the term, date) is never rewritten.
CREATE OR REPLACE FUNCTION @S@.guard_flag() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    raiser text;
    addressee text;
    trusted boolean := coalesce(
        (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user), false);
    caller_id uuid := (SELECT s.id FROM public.staff s WHERE s.username = session_user);
BEGIN
    SELECT o.kind INTO raiser FROM public.offices o WHERE o.id = NEW.raised_by_office_id;
    SELECT o.kind INTO addressee FROM public.offices o WHERE o.id = NEW.for_office_id;
    IF TG_OP = 'INSERT' THEN
        IF NOT @S@.acts_for(raiser) THEN
            PERFORM @S@.refuse('una segnalazione si apre solo a nome del proprio ufficio');
        END IF;
        IF NOT trusted THEN
            IF NEW.raised_by_id IS NOT NULL AND NEW.raised_by_id IS DISTINCT FROM caller_id THEN
                PERFORM @S@.refuse('una segnalazione si apre solo a proprio nome');
            END IF;
            NEW.raised_by_id := caller_id;
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.dossier_id IS DISTINCT FROM OLD.dossier_id OR NEW.number IS DISTINCT FROM OLD.number
        OR NEW.raised_by_office_id IS DISTINCT FROM OLD.raised_by_office_id
        OR NEW.for_office_id IS DISTINCT FROM OLD.for_office_id THEN
        PERFORM @S@.refuse('una segnalazione non cambia pratica, numero o uffici');
    END IF;
    IF NEW.category IS DISTINCT FROM OLD.category OR NEW.text IS DISTINCT FROM OLD.text
        OR NEW.suspends IS DISTINCT FROM OLD.suspends
        OR NEW.raised_on IS DISTINCT FROM OLD.raised_on
        OR NEW.raised_by_id IS DISTINCT FROM OLD.raised_by_id
        OR (OLD.resolved_on IS NOT NULL AND (NEW.resolved_on IS DISTINCT FROM OLD.resolved_on
            OR NEW.resolved_by_id IS DISTINCT FROM OLD.resolved_by_id
            OR NEW.resolution_note IS DISTINCT FROM OLD.resolution_note)) THEN
        PERFORM @S@.refuse('una segnalazione non si riscrive: si risolve');
    END IF;
    IF NEW.deleted_at IS DISTINCT FROM OLD.deleted_at
        AND NOT pg_has_role(current_user, '@ADMIN@', 'MEMBER') THEN
        PERFORM @S@.refuse('una segnalazione si risolve, non si cancella');
    END IF;
    IF NOT (@S@.acts_for(raiser) OR @S@.acts_for(addressee)) THEN
        PERFORM @S@.refuse('solo gli uffici coinvolti possono modificare la segnalazione');
    END IF;
    IF NEW.resolved_on IS DISTINCT FROM OLD.resolved_on AND NOT trusted THEN
        IF NEW.resolved_by_id IS NOT NULL AND NEW.resolved_by_id IS DISTINCT FROM caller_id THEN
            PERFORM @S@.refuse('una segnalazione si risolve solo a proprio nome');
        END IF;
        NEW.resolved_by_id := caller_id;
        IF NEW.resolved_on < NEW.raised_on
            OR NEW.resolved_on > (now() AT TIME ZONE 'Europe/Rome')::date THEN
            PERFORM @S@.refuse('una segnalazione si risolve dopo la sua data e non nel futuro');
        END IF;
    END IF;
    RETURN NEW;
END
$$;

-- Who received a document is the server's to write; only the office that received it
-- (the dossier's lead office when nobody is named) renames, moves or tombstones it, and
-- what was received (size, type, when, by whom) is never rewritten (its content and
-- dossier: guard_document).
CREATE OR REPLACE FUNCTION @S@.guard_document_facts() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    trusted boolean := coalesce(
        (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user), false);
    caller_id uuid := (SELECT s.id FROM public.staff s WHERE s.username = session_user);
    receiver text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT trusted THEN
            IF NEW.received_by_id IS NOT NULL AND NEW.received_by_id IS DISTINCT FROM caller_id THEN
                PERFORM @S@.refuse('un documento si riceve solo a proprio nome');
            END IF;
            NEW.received_by_id := caller_id;
        END IF;
        RETURN NEW;
    END IF;
    -- What arrived, when, from whom, and where a scanner batch's part came from (the kind
    -- its separator named, the batch, the pages) are facts of the receipt.
    IF NEW.size IS DISTINCT FROM OLD.size OR NEW.media_type IS DISTINCT FROM OLD.media_type
        OR NEW.received_at IS DISTINCT FROM OLD.received_at
        OR NEW.received_by_id IS DISTINCT FROM OLD.received_by_id
        OR NEW.kind IS DISTINCT FROM OLD.kind
        OR NEW.source_batch IS DISTINCT FROM OLD.source_batch
        OR NEW.source_pages IS DISTINCT FROM OLD.source_pages THEN
        PERFORM @S@.refuse('un documento ricevuto non si riscrive');
    END IF;
    -- The text read from it (migration 0015) and why reading it failed (0016) are written
    -- by the office that received it.
    IF NEW.file_name IS DISTINCT FROM OLD.file_name OR NEW.deleted_at IS DISTINCT FROM OLD.deleted_at
        OR NEW.dossier_id IS DISTINCT FROM OLD.dossier_id OR NEW.text IS DISTINCT FROM OLD.text
        OR NEW.text_problem IS DISTINCT FROM OLD.text_problem THEN
        SELECT o.kind INTO receiver FROM public.staff s JOIN public.offices o ON o.id = s.office_id
        WHERE s.id = OLD.received_by_id;
        IF receiver IS NULL THEN
            SELECT p.lead_office INTO receiver FROM public.dossiers d
            JOIN public.procedure_types p ON p.id = d.procedure_type_id WHERE d.id = OLD.dossier_id;
        END IF;
        IF NOT @S@.acts_for(receiver) THEN
            PERFORM @S@.refuse(format('rinominare, spostare, cancellare o trascrivere questo documento spetta %s',
                @S@.office_label(receiver)));
        END IF;
    END IF;
    RETURN NEW;
END
$$;

-- Checked at commit (deferred constraint triggers on dossiers, on history rows entering a
-- state and on a registration's change of date): the
-- dossier is in the state its history gives, and the columns that follow from its history
-- — closing date, whether the term is stopped, the held days (0 while open), the open
-- pending items, the registration's date — are what it gives. The clock's results
-- (deadline, suspended days, running or suspended), when written, are what compute_clock
-- gives; the held days at closing and the search key change only in a transaction that
-- adds to the dossier's history.
-- A history row that counts: not an undo, nor the move an undo cancelled (the event just
-- before it; models/clock_feed.py state_changes is the workstation's twin).
CREATE OR REPLACE FUNCTION @S@.event_is_live(dossier uuid, seq integer, kind text)
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT kind <> 'undone' AND NOT EXISTS (
        SELECT 1 FROM public.dossier_events u
        WHERE u.dossier_id = event_is_live.dossier AND u.seq = event_is_live.seq + 1
          AND u.kind = 'undone' AND u.deleted_at IS NULL)
$$;

CREATE OR REPLACE FUNCTION @S@.check_facts() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    target uuid;
    d record;
    h record;
    expected text;
    pending integer;
    clock_written boolean := true;
    reading record;
    today date := (now() AT TIME ZONE 'Europe/Rome')::date;
    declared date := nullif(current_setting('raccordo.clock_today', true), '')::date;
    days date[];
    latest date;
BEGIN
    IF TG_TABLE_NAME = 'dossiers' THEN
        target := NEW.id;
    ELSE
        target := NEW.dossier_id;
    END IF;
    SELECT x.* INTO d FROM public.dossiers x WHERE x.id = target;
    IF d.id IS NULL THEN
        RETURN NULL;
    END IF;
    -- One pass over the history: the last move (the registration only when there is no
    -- other), the first day in a final state, a stopped clock, the registration's date.
    -- An undone move and its undo (the next event) count for nothing: they are not live.
    SELECT (array_agg(e.to_state ORDER BY e.kind <> 'registered' DESC, e.effective_on DESC,
                      e.seq DESC, e.change_seq DESC)
                FILTER (WHERE e.to_state IS NOT NULL AND e.live))[1]
               AS last_state,
           min(e.effective_on) FILTER (WHERE s.is_final AND e.live) AS closed,
           coalesce(bool_or(s.clock = 'stopped') FILTER (WHERE e.live), false) AS stopped,
           coalesce(bool_or(e.kind = 'registered' AND e.effective_on <> d.filed_on), false)
               AS registration_moved,
           coalesce(bool_or(e.created_at = now()), false) AS written_now
    INTO h
    FROM (SELECT x.*, @S@.event_is_live(x.dossier_id, x.seq, x.kind) AS live
          FROM public.dossier_events x) e
    LEFT JOIN public.workflow_states s ON s.procedure_type_id = d.procedure_type_id
         AND s.code = e.to_state AND s.deleted_at IS NULL
    WHERE e.dossier_id = target AND e.deleted_at IS NULL;
    expected := h.last_state;
    IF expected IS NULL THEN
        SELECT s.code INTO expected FROM public.workflow_states s
        WHERE s.procedure_type_id = d.procedure_type_id AND s.deleted_at IS NULL
        ORDER BY s.position LIMIT 1;
    END IF;
    IF d.state IS DISTINCT FROM expected THEN
        PERFORM @S@.refuse(format(
            'lo stato della pratica («%s») non corrisponde alla sua cronologia («%s»)',
            d.state, expected));
    END IF;
    IF d.closed_on IS DISTINCT FROM h.closed THEN
        PERFORM @S@.refuse(format('la data di chiusura si ricava dalla cronologia (%s)',
            coalesce(to_char(h.closed, 'DD/MM/YYYY'), 'pratica aperta')));
    END IF;
    IF d.clock_state NOT IN ('runs', 'suspended', 'stopped')
        OR (d.clock_state = 'stopped') <> h.stopped THEN
        PERFORM @S@.refuse('lo stato del termine si ricava dalla cronologia');
    END IF;
    IF d.closed_on IS NULL
        AND (d.held_sui_days <> 0 OR d.held_questura_days <> 0 OR d.held_applicant_days <> 0) THEN
        PERFORM @S@.refuse('i giorni presso ciascuna parte si ricavano alla chiusura della pratica');
    END IF;
    SELECT count(*) INTO pending FROM public.flags f
    WHERE f.dossier_id = target AND f.resolved_on IS NULL;
    IF d.open_flags IS DISTINCT FROM pending THEN
        PERFORM @S@.refuse('il numero di segnalazioni aperte si ricava dalle segnalazioni');
    END IF;
    IF h.registration_moved THEN
        PERFORM @S@.refuse('la registrazione ha la data di presentazione della pratica');
    END IF;
    -- The clock's results, when written or when the history grows: what the server's own
    -- clock gives on the day they were computed. That is the day the push declares
    -- (raccordo.clock_today, set by sync.push), which cannot precede the dossier's latest
    -- fact nor follow the server's today; else the server's today or the day before or
    -- after (a workstation within the allowed clock skew, across midnight). An earlier
    -- day gives a reading that was true then, as a dossier nobody touched since keeps.
    -- A superuser is trusted.
    IF TG_TABLE_NAME = 'dossiers' AND TG_OP = 'UPDATE' AND NOT h.written_now THEN
        clock_written := (OLD.deadline, OLD.suspended_days, OLD.clock_state)
            IS DISTINCT FROM (NEW.deadline, NEW.suspended_days, NEW.clock_state);
    END IF;
    IF clock_written AND NOT coalesce(
        (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user), false) THEN
        days := ARRAY[today, today - 1, today + 1];
        IF declared IS NOT NULL THEN
            SELECT greatest(d.filed_on, max(e.effective_on),
                            (SELECT max(greatest(f.raised_on, f.resolved_on)) FROM public.flags f
                             WHERE f.dossier_id = target))
            INTO latest FROM public.dossier_events e WHERE e.dossier_id = target;
            IF declared < latest OR declared > today + 1 THEN
                PERFORM @S@.refuse(format('giorno di calcolo del termine non ammesso (%s)',
                    to_char(declared, 'DD/MM/YYYY')));
            END IF;
            days := ARRAY[declared];
        END IF;
        SELECT c.* INTO reading FROM @S@.compute_clock(target, days[1]) c;
        IF (d.deadline, d.suspended_days, d.clock_state)
            IS DISTINCT FROM (reading.deadline, reading.suspended_days, reading.clock_state)
            AND NOT EXISTS (SELECT 1 FROM unnest(days[2:]) AS other(day),
                                 @S@.compute_clock(target, other.day) c
                            WHERE (c.deadline, c.suspended_days, c.clock_state)
                                  = (d.deadline, d.suspended_days, d.clock_state)) THEN
            PERFORM @S@.refuse(format('scadenza e stato del termine si ricavano dalla cronologia:'
                ' scadenza %s, %s giorni di sospensione, termine %s',
                coalesce(to_char(reading.deadline, 'DD/MM/YYYY'), 'nessuna regola sui termini'),
                coalesce(reading.suspended_days, 0),
                CASE reading.clock_state WHEN 'runs' THEN 'in corso'
                    WHEN 'suspended' THEN 'sospeso' WHEN 'stopped' THEN 'fermo' ELSE '—' END));
        END IF;
    END IF;
    IF TG_TABLE_NAME <> 'dossiers' OR TG_OP <> 'UPDATE' OR h.written_now THEN
        RETURN NULL;
    END IF;
    IF (OLD.deadline, OLD.suspended_days, OLD.clock_state, OLD.held_sui_days,
        OLD.held_questura_days, OLD.held_applicant_days, OLD.search_key)
        IS DISTINCT FROM (NEW.deadline, NEW.suspended_days, NEW.clock_state, NEW.held_sui_days,
        NEW.held_questura_days, NEW.held_applicant_days, NEW.search_key)
        AND NOT coalesce((SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user),
                         false) THEN
        PERFORM @S@.refuse('scadenza, sospensione, giorni e chiave di ricerca sono calcolati: '
            'cambiano solo insieme alla cronologia della pratica');
    END IF;
    RETURN NULL;
END
$$;

-- A document names its content by hash, and a hash is an address, not a permission:
-- the caller must have uploaded the bytes (store_content) or already see a document
-- with the same content. Without this, anyone could attach a restricted scan's hash to
-- a dossier they see and read the scan. Runs as the caller (its policies apply).
CREATE OR REPLACE FUNCTION @S@.guard_document() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.sha256 IS DISTINCT FROM OLD.sha256
            OR NEW.dossier_id IS DISTINCT FROM OLD.dossier_id THEN
            PERFORM @S@.refuse('un documento non cambia contenuto né pratica');
        END IF;
        RETURN NEW;
    END IF;
    IF (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user) THEN
        IF NOT EXISTS (SELECT 1 FROM public.document_contents c WHERE c.sha256 = NEW.sha256) THEN
            PERFORM @S@.refuse('contenuto del documento non caricato');
        END IF;
        RETURN NEW;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM public.document_uploaders u
                   WHERE u.sha256 = NEW.sha256 AND u.username = session_user)
        AND NOT EXISTS (SELECT 1 FROM public.documents d WHERE d.sha256 = NEW.sha256) THEN
        PERFORM @S@.refuse('contenuto del documento non caricato da chi lo allega');
    END IF;
    RETURN NEW;
END
$$;

-- The tavolo di coordinamento (models/meetings.py). Heads and administrators of the two
-- offices prepare, open and close a meeting and record its outcomes; anyone may propose
-- an item, in their own name. A closed meeting, its items and outcomes are never
-- rewritten: only an action's completion date (done_on) is set afterwards, by the chair,
-- the owner office or the owner.
CREATE OR REPLACE FUNCTION @S@.chairs_meetings() RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_has_role(current_user, '@HEAD@', 'MEMBER')
        OR pg_has_role(current_user, '@ADMIN@', 'MEMBER')
        OR coalesce((SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user), false)
$$;

CREATE OR REPLACE FUNCTION @S@.guard_meeting() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT @S@.chairs_meetings() THEN
        PERFORM @S@.refuse(
            'solo i responsabili e gli amministratori preparano, aprono e chiudono le riunioni');
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.state = 'chiusa' THEN
            PERFORM @S@.refuse('una riunione chiusa non si modifica');
        END IF;
        IF (OLD.state = 'in_corso' AND NEW.state = 'in_preparazione') THEN
            PERFORM @S@.refuse('una riunione iniziata non torna in preparazione');
        END IF;
    END IF;
    IF NEW.state NOT IN ('in_preparazione', 'in_corso', 'chiusa') THEN
        PERFORM @S@.refuse('stato della riunione sconosciuto');
    END IF;
    IF NEW.state = 'chiusa' AND NEW.seal IS NULL THEN
        PERFORM @S@.refuse('una riunione si chiude con il suo sigillo');
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION @S@.guard_agenda_item() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    meeting_state text;
    caller_id uuid := (SELECT s.id FROM public.staff s WHERE s.username = session_user);
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.meeting_id IS DISTINCT FROM OLD.meeting_id THEN
            PERFORM @S@.refuse('un punto all''ordine del giorno non cambia riunione');
        END IF;
    END IF;
    SELECT m.state INTO meeting_state FROM public.meetings m WHERE m.id = NEW.meeting_id;
    IF meeting_state = 'chiusa' THEN
        PERFORM @S@.refuse('una riunione chiusa non si modifica');
    END IF;
    IF @S@.chairs_meetings() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        PERFORM @S@.refuse('solo i responsabili modificano l''ordine del giorno');
    END IF;
    IF NEW.reason <> 'proposal' OR NEW.proposer_id IS DISTINCT FROM caller_id THEN
        PERFORM @S@.refuse('si propone un punto solo a proprio nome');
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION @S@.guard_agenda_outcome() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    meeting_state text;
    item_dossier uuid;
    owner_kind text;
    caller_id uuid := (SELECT s.id FROM public.staff s WHERE s.username = session_user);
    kept text[] := ARRAY['version', 'created_at', 'updated_at', 'change_seq', 'done_on'];
BEGIN
    SELECT m.state, i.dossier_id INTO meeting_state, item_dossier
    FROM public.agenda_items i JOIN public.meetings m ON m.id = i.meeting_id
    WHERE i.id = NEW.item_id;
    IF NEW.dossier_id IS DISTINCT FROM item_dossier THEN
        PERFORM @S@.refuse('un esito riguarda la pratica del suo punto');
    END IF;
    IF TG_OP = 'UPDATE' AND meeting_state = 'chiusa' THEN
        IF (to_jsonb(NEW) - kept) IS DISTINCT FROM (to_jsonb(OLD) - kept) THEN
            PERFORM @S@.refuse('una riunione chiusa non si modifica');
        END IF;
        SELECT o.kind INTO owner_kind FROM public.offices o WHERE o.id = NEW.owner_office_id;
        IF NOT (@S@.chairs_meetings() OR coalesce(NEW.owner_id = caller_id, false)
                OR (owner_kind IS NOT NULL AND @S@.acts_for(owner_kind))) THEN
            PERFORM @S@.refuse('un''azione la chiude chi ne è incaricato');
        END IF;
        RETURN NEW;
    END IF;
    IF NOT @S@.chairs_meetings() THEN
        PERFORM @S@.refuse('solo i responsabili registrano gli esiti della riunione');
    END IF;
    IF meeting_state IS DISTINCT FROM 'in_corso' THEN
        PERFORM @S@.refuse('gli esiti si registrano durante la riunione');
    END IF;
    RETURN NEW;
END
$$;

-- Files the chunks the caller uploaded (document_uploads) as the content `digest`, once
-- they are complete and their SHA-256 is `digest`; the caller is then recorded as holding
-- it. An existing content (perhaps one the caller cannot see) is not touched and the
-- answer is the same, so uploading tells nothing about hidden contents. False: the bytes
-- do not match the hash (the chunks are dropped; upload again).
CREATE OR REPLACE FUNCTION @S@.store_content(digest text, total bigint) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    parts integer;
    top integer;
    stored bigint;
    actual text;
BEGIN
    IF digest !~ '^[0-9a-f]{64}$' THEN
        PERFORM @S@.refuse('impronta SHA-256 non valida');
    END IF;
    SELECT count(*), max(u.seq), coalesce(sum(length(u.data)), 0) INTO parts, top, stored
    FROM public.document_uploads u WHERE u.uploader = session_user AND u.sha256 = digest;
    IF parts = 0 OR top <> parts - 1 OR stored <> total THEN
        PERFORM @S@.refuse(format('caricamento incompleto: %s byte su %s', stored, total));
    END IF;
    SELECT encode(sha256(string_agg(u.data, ''::bytea ORDER BY u.seq)), 'hex') INTO actual
    FROM public.document_uploads u WHERE u.uploader = session_user AND u.sha256 = digest;
    IF actual = digest THEN
        INSERT INTO public.document_contents (sha256, size) VALUES (digest, total)
        ON CONFLICT DO NOTHING;
        IF FOUND THEN
            INSERT INTO public.document_chunks (sha256, seq, data)
            SELECT digest, u.seq, u.data FROM public.document_uploads u
            WHERE u.uploader = session_user AND u.sha256 = digest
            ON CONFLICT DO NOTHING;
        END IF;
        INSERT INTO public.document_uploaders (sha256, username) VALUES (digest, session_user)
        ON CONFLICT DO NOTHING;
    END IF;
    DELETE FROM public.document_uploads u WHERE u.uploader = session_user AND u.sha256 = digest;
    RETURN actual = digest;
END
$$;

-- The audit chain's hash, version 2 (models/audit.py: body_digest, chain_hash): the
-- entry's body (when, who, which row, what changed) as one SHA-256, then the previous
-- hash, that digest, the restricted mark and the version, joined by U+001F.
CREATE OR REPLACE FUNCTION @S@.audit_body(
    stamp timestamptz, actor text, table_name text, row_id text, action text, changes text
) RETURNS text
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT encode(sha256(convert_to(concat_ws(chr(31),
        to_char(stamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        actor, table_name, row_id, action, changes), 'UTF8')), 'hex')
$$;

CREATE OR REPLACE FUNCTION @S@.chain_hash(previous text, body text, restricted boolean)
RETURNS text
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT encode(sha256(convert_to(concat_ws(chr(31),
        previous, body, CASE WHEN restricted THEN 'true' ELSE 'false' END, '2'), 'UTF8')), 'hex')
$$;

-- The audit log, written here with the server's clock and the login role. The chain is
-- linear because every audited write has already locked sync_counter (feed()); under
-- REPEATABLE READ that lock fails with a serialization error rather than chain onto a
-- stale head. The hash is the one models/audit.py computes (version 2).
CREATE OR REPLACE FUNCTION @S@.audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    old_row jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) ELSE '{}'::jsonb END;
    new_row jsonb := to_jsonb(NEW);
    diff jsonb := '{}'::jsonb;
    key text;
    action text;
    changes text;
    previous text;
    stamp timestamptz := now();
    actor text := session_user;
    hidden boolean := false;
BEGIN
    FOR key IN SELECT jsonb_object_keys(new_row) LOOP
        CONTINUE WHEN key = ANY (@SKIPPED@);
        IF TG_OP = 'INSERT' THEN
            IF new_row -> key NOT IN ('null'::jsonb, '""'::jsonb) THEN
                diff := diff || jsonb_build_object(key, jsonb_build_array(NULL, new_row -> key));
            END IF;
        ELSIF old_row -> key IS DISTINCT FROM new_row -> key THEN
            diff := diff || jsonb_build_object(
                key, jsonb_build_array(old_row -> key, new_row -> key));
        END IF;
    END LOOP;
    IF TG_OP = 'UPDATE' AND diff = '{}'::jsonb THEN
        RETURN NULL;
    END IF;
    action := CASE WHEN TG_OP = 'INSERT' THEN 'insert'
                   WHEN diff ? 'deleted_at' THEN 'delete' ELSE 'update' END;
    IF TG_ARGV[0] = 'self' THEN
        hidden := coalesce((new_row ->> 'restricted')::boolean, false);
    ELSIF TG_ARGV[0] <> '' THEN
        SELECT d.restricted INTO hidden FROM public.dossiers d
        WHERE d.id = (new_row ->> TG_ARGV[0])::uuid;
        hidden := coalesce(hidden, false);
    END IF;
    IF TG_TABLE_NAME = 'imports' THEN  -- a register entry quoting rows of art. 18 files
        hidden := hidden OR coalesce((new_row ->> 'restricted')::boolean, false);
    END IF;
    changes := diff::text;
    PERFORM pg_advisory_xact_lock(@LOCK@);
    SELECT a.hash INTO previous FROM public.audit_log a ORDER BY a.seq DESC LIMIT 1;
    previous := coalesce(previous, repeat('0', 64));
    INSERT INTO public.audit_log (at, actor, table_name, row_id, action, changes, prev_hash,
                                  hash, restricted, hash_version)
    VALUES (
        stamp, actor, TG_TABLE_NAME, NEW.id::text, action, changes, previous,
        @S@.chain_hash(previous,
            @S@.audit_body(stamp, actor, TG_TABLE_NAME, NEW.id::text, action, changes), hidden),
        hidden, 2
    );
    RETURN NULL;
END
$$;

-- The entries the caller's policies hide, without their content: their links, their
-- mark and version, and (version 2) the digest of their body computed here from the
-- stored columns, so that `raccordo audit verify` checks them too without reading them.
DO $$
BEGIN
    IF to_regprocedure('@S@.audit_hidden()') IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM pg_proc WHERE oid = to_regprocedure('@S@.audit_hidden()')
          AND 'body_digest' = ANY (proargnames)) THEN
        DROP FUNCTION @S@.audit_hidden();  -- the columns it returns changed (0011)
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION @S@.audit_hidden()
RETURNS TABLE (seq integer, prev_hash text, hash text, body_digest text, restricted boolean,
               hash_version smallint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT a.seq, a.prev_hash::text, a.hash::text,
           @S@.audit_body(a.at, a.actor, a.table_name, a.row_id, a.action, a.changes),
           a.restricted, a.hash_version
    FROM public.audit_log a
    WHERE a.restricted AND NOT pg_has_role(session_user, '@RESTRICTED@', 'MEMBER')
    ORDER BY a.seq
$$;

-- Insert-only, for everyone (the owner included).
CREATE OR REPLACE FUNCTION @S@.audit_append_only() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = 'il registro delle modifiche non si modifica né si cancella';
END
$$;

-- Ends the sessions holding the write gate (the feed counter's lock) past the office's
-- limits, even when they turned their own timeouts off (sync/server/guards.py): idle in
-- a transaction, one statement running, or the whole transaction too long. Never a
-- superuser's session; only the application's roles.
CREATE OR REPLACE FUNCTION @S@.end_stalled_writers() RETURNS integer
LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT count(*)::integer FROM (
        SELECT pg_terminate_backend(a.pid) AS ended
        FROM pg_stat_activity a JOIN pg_roles r ON r.oid = a.usesysid
        WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
          AND NOT r.rolsuper AND pg_has_role(r.oid, '@USER@', 'MEMBER')
          AND EXISTS (SELECT 1 FROM pg_locks l
                      WHERE l.pid = a.pid AND l.granted
                        AND l.relation = 'public.sync_counter'::regclass
                        AND l.mode IN ('RowShareLock', 'RowExclusiveLock'))
          AND ((a.state LIKE 'idle in transaction%'
                AND a.state_change < clock_timestamp() - interval '@IDLE_LIMIT@ seconds')
               OR (a.state = 'active'
                   AND a.query_start < clock_timestamp() - interval '@STATEMENT_LIMIT@ seconds')
               OR a.xact_start < clock_timestamp() - interval '@HOLD_LIMIT@ seconds')
    ) stalled WHERE stalled.ended
$$;

-- The write gate. Takes the feed's lock first, so a transaction that will write several
-- rows cannot deadlock with another on row locks taken before the counter's (see the
-- design's "Open questions"). While it waits it ends stalled holders; after @LOCK_WAIT@ s
-- it gives up with SQLSTATE 55P03 and an Italian message (the workstation retries later).
CREATE OR REPLACE FUNCTION @S@.begin_write() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET lock_timeout = '@SLICE_MS@ms'
AS $$
DECLARE
    deadline timestamptz := clock_timestamp() + interval '@LOCK_WAIT@ seconds';
BEGIN
    LOOP
        BEGIN
            PERFORM 1 FROM public.sync_counter WHERE id = 1 FOR UPDATE;
            RETURN;
        EXCEPTION WHEN lock_not_available THEN
            PERFORM @S@.end_stalled_writers();
            IF clock_timestamp() >= deadline THEN
                RAISE EXCEPTION USING ERRCODE = 'lock_not_available',
                    MESSAGE = 'server occupato: un''altra postazione sta scrivendo, riprovare';
            END IF;
        END;
    END LOOP;
END
$$;

-- The legal-term clock (models/clock.py) ported, so that check_facts can verify what a
-- workstation computed. Same rules, same order of steps; the holidays are the office's
-- saved table (settings 'holidays:<province>', as models/calendar.py reads it) plus its
-- patron day. A year outside the saved table counts no holiday (the workstation would
-- ask its holidays package): the table covers 2000-2060.
CREATE OR REPLACE FUNCTION @S@.clock_working(day date, saturday boolean, holidays date[],
                                             patron text) RETURNS boolean
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT extract(isodow FROM day) <> 7
       AND (saturday OR extract(isodow FROM day) <> 6)
       AND to_char(day, 'MM-DD') IS DISTINCT FROM patron
       AND NOT (day = ANY (holidays))
$$;

-- The first working day on or after `day` (art. 2963 c.c.: a term ending on a holiday
-- moves on).
CREATE OR REPLACE FUNCTION @S@.clock_roll(day date, saturday boolean, holidays date[],
                                          patron text) RETURNS date
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    WHILE NOT @S@.clock_working(day, saturday, holidays, patron) LOOP
        day := day + 1;
    END LOOP;
    RETURN day;
END
$$;

-- The term's last day before suspensions and roll-forward: calendar days, calendar
-- months (a day missing in the target month becomes its last day: PostgreSQL's month
-- arithmetic does the same) or working days.
CREATE OR REPLACE FUNCTION @S@.clock_term_end(start date, term integer, unit text,
                                              saturday boolean, holidays date[], patron text)
RETURNS date
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    day date := start;
    left_to_count integer := term;
BEGIN
    IF unit = 'months' THEN
        RETURN (start + make_interval(months => term))::date;
    END IF;
    IF unit = 'working_days' THEN
        WHILE left_to_count > 0 LOOP
            day := day + 1;
            IF @S@.clock_working(day, saturday, holidays, patron) THEN
                left_to_count := left_to_count - 1;
            END IF;
        END LOOP;
        RETURN day;
    END IF;
    RETURN start + term;
END
$$;

-- Days suspended before `before` (infinity: all of them): the periods [froms, tos) with
-- overlapping or touching ones counted once.
CREATE OR REPLACE FUNCTION @S@.clock_suspended(froms date[], tos date[], before date)
RETURNS integer
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    period record;
    first_day date;
    last_day date;
    total integer := 0;
BEGIN
    FOR period IN SELECT u.f, u.t FROM unnest(froms, tos) AS u(f, t) WHERE u.t > u.f
                  ORDER BY u.f, u.t LOOP
        IF first_day IS NOT NULL AND period.f <= last_day THEN
            last_day := greatest(last_day, period.t);
        ELSE
            IF first_day IS NOT NULL AND first_day < before THEN
                total := total + (least(last_day, before) - first_day);
            END IF;
            first_day := period.f;
            last_day := period.t;
        END IF;
    END LOOP;
    IF first_day IS NOT NULL AND first_day < before THEN
        total := total + (least(last_day, before) - first_day);
    END IF;
    RETURN total;
END
$$;

-- Has the term not yet run out on `day` (or is it suspended that day)?
CREATE OR REPLACE FUNCTION @S@.clock_open_on(day date, start date, term integer, unit text,
                                             saturday boolean, holidays date[], patron text,
                                             froms date[], tos date[]) RETURNS boolean
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT EXISTS (SELECT 1 FROM unnest(froms, tos) AS u(f, t) WHERE u.f <= day AND day <= u.t)
        OR day <= @S@.clock_roll(
               @S@.clock_term_end(start, term, unit, saturday, holidays, patron)
                   + @S@.clock_suspended(froms, tos, day),
               saturday, holidays, patron)
$$;

-- Deadline, suspended days and state of the term ('runs', 'suspended', 'stopped') of a
-- dossier on `today` (default: the server's date in Rome, as guard_event's), from the
-- server's own rows: the term rule in force on the filing date, the states entered and
-- their clock effects, the suspending pending items, the observations on a preavviso,
-- the quota date and the office's holidays. All NULL when no rule applies. Reads as the
-- caller (check_facts runs as the writer, who sees the dossier it writes).
CREATE OR REPLACE FUNCTION @S@.compute_clock(dossier_id uuid, today date DEFAULT NULL,
                                             OUT deadline date, OUT suspended_days integer,
                                             OUT clock_state text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    d record;
    rule record;
    holidays date[];
    patron text;
    ch_on date[];
    ch_state text[];
    ch_clock text[];
    obs date[];
    stopped_on date;
    horizon date;
    term_start date;
    froms date[] := '{}';
    tos date[] := '{}';
    opens boolean[] := '{}';
    break_froms date[] := '{}';
    break_tos date[] := '{}';
    step record;
    used integer := 0;
    first_day date;
    last_day date;
    is_open boolean;
    i integer;
BEGIN
    today := coalesce(today, (now() AT TIME ZONE 'Europe/Rome')::date);
    SELECT x.procedure_type_id, x.filed_on, x.quota_assigned_on, o.province, o.patron_day
    INTO d
    FROM public.dossiers x JOIN public.offices o ON o.id = x.protocol_office_id
    WHERE x.id = compute_clock.dossier_id;
    IF d.filed_on IS NULL THEN
        RETURN;
    END IF;
    SELECT r.* INTO rule FROM public.term_rules r
    WHERE r.procedure_type_id = d.procedure_type_id AND r.deleted_at IS NULL
      AND r.valid_from <= d.filed_on
    ORDER BY r.valid_from DESC LIMIT 1;
    IF rule.term IS NULL OR (rule.valid_to IS NOT NULL AND d.filed_on > rule.valid_to) THEN
        RETURN;
    END IF;
    SELECT array_agg(k::date) INTO holidays
    FROM public.settings s, jsonb_object_keys(s.value::jsonb -> 'dates') AS k
    WHERE s.key = 'holidays:' || d.province;
    holidays := coalesce(holidays, '{}');
    patron := nullif(d.patron_day, '');

    -- The states entered, in date order (as the workstation's history is sorted).
    SELECT array_agg(e.effective_on ORDER BY e.effective_on, e.seq),
           array_agg(s.code ORDER BY e.effective_on, e.seq),
           array_agg(s.clock ORDER BY e.effective_on, e.seq)
    INTO ch_on, ch_state, ch_clock
    FROM public.dossier_events e
    JOIN public.workflow_states s ON s.procedure_type_id = d.procedure_type_id
         AND s.code = e.to_state AND s.deleted_at IS NULL
    WHERE e.dossier_id = compute_clock.dossier_id AND e.to_state IS NOT NULL
      AND @S@.event_is_live(e.dossier_id, e.seq, e.kind);
    ch_on := coalesce(ch_on, '{}');
    SELECT array_agg(e.effective_on) INTO obs FROM public.dossier_events e
    WHERE e.dossier_id = compute_clock.dossier_id AND e.kind = 'observations'
      AND e.deleted_at IS NULL;
    obs := coalesce(obs, '{}');

    stopped_on := (SELECT min(u.day) FROM unnest(ch_on, ch_clock) AS u(day, effect)
                   WHERE u.effect = 'stopped');
    horizon := coalesce(stopped_on, today);
    term_start := d.filed_on;
    IF rule.start = 'quota_assignment' AND d.quota_assigned_on IS NOT NULL THEN
        term_start := d.quota_assigned_on;
    END IF;

    -- One walk in date order: each preavviso (with the day the term runs again, art.
    -- 10-bis) before the requests (art. 2 c. 7; those made the same day are one, lasting
    -- until the later answer, open if one is open).
    FOR step IN
        WITH changes AS (
            SELECT u.day, u.code, u.effect, u.n, lead(u.day) OVER (ORDER BY u.n) AS next_day
            FROM unnest(ch_on, ch_state, ch_clock) WITH ORDINALITY AS u(day, code, effect, n)
        ), notices AS (
            SELECT c.day, c.n, lead(c.day) OVER (ORDER BY c.n) AS following
            FROM changes c WHERE c.code = 'preavviso_rigetto' AND c.effect = 'suspended'
        ), requests AS (
            SELECT c.day, c.next_day AS answered FROM changes c
            WHERE c.effect = 'suspended' AND c.code <> 'preavviso_rigetto'
            UNION ALL
            SELECT f.raised_on, f.resolved_on FROM public.flags f
            WHERE f.dossier_id = compute_clock.dossier_id AND f.suspends
              AND f.deleted_at IS NULL
        )
        SELECT n.day, 0 AS kind, n.n AS n,
               CASE WHEN r.reply IS NOT NULL AND r.reply <= n.day + rule.preavviso_reply_days
                    THEN r.reply + rule.preavviso_restart_days
                    ELSE n.day + rule.preavviso_reply_days END AS until
        FROM notices n
        CROSS JOIN LATERAL (SELECT min(o) AS reply FROM unnest(obs) AS o
                            WHERE n.day <= o AND (n.following IS NULL OR o < n.following)) r
        UNION ALL
        SELECT q.day, 1, 0,
               CASE WHEN bool_or(q.answered IS NULL) THEN NULL ELSE max(q.answered) END
        FROM requests q GROUP BY q.day
        ORDER BY 1, 2, 3
    LOOP
        CONTINUE WHEN step.day > horizon;
        first_day := greatest(step.day, term_start);
        IF step.kind = 0 THEN  -- a preavviso di rigetto
            IF rule.preavviso_effect = 'interrupts' AND step.day < term_start THEN
                CONTINUE;  -- a term not yet running cannot be interrupted
            END IF;
            CONTINUE WHEN NOT @S@.clock_open_on(first_day, term_start, rule.term, rule.unit,
                rule.saturday_working, holidays, patron, froms, tos);
            IF rule.preavviso_effect = 'interrupts' THEN
                break_froms := break_froms || step.day;
                break_tos := break_tos || step.until;
                term_start := step.until;  -- the term runs again in full
                SELECT coalesce(array_agg(greatest(u.f, step.until) ORDER BY u.n), '{}'),
                       coalesce(array_agg(u.t ORDER BY u.n), '{}'),
                       coalesce(array_agg(u.o ORDER BY u.n), '{}')
                INTO froms, tos, opens
                FROM unnest(froms, tos, opens) WITH ORDINALITY AS u(f, t, o, n)
                WHERE u.t > step.until;
                CONTINUE;
            END IF;
            -- The end is known in advance: cut at the horizon only when the clock stopped.
            last_day := CASE WHEN stopped_on IS NOT NULL THEN least(step.until, horizon)
                             ELSE step.until END;
            IF last_day > first_day THEN
                froms := froms || first_day;
                tos := tos || last_day;
                opens := opens || false;
            END IF;
            CONTINUE;
        END IF;
        last_day := least(coalesce(step.until, horizon), horizon);
        is_open := step.until IS NULL;
        CONTINUE WHEN last_day < first_day OR (last_day = first_day AND NOT is_open);
        CONTINUE WHEN NOT @S@.clock_open_on(first_day, term_start, rule.term, rule.unit,
            rule.saturday_working, holidays, patron, froms, tos);
        CONTINUE WHEN used >= rule.suspension_max_count;
        IF last_day - first_day > rule.suspension_max_days THEN
            last_day := first_day + rule.suspension_max_days;
            is_open := false;
        END IF;
        froms := froms || first_day;
        tos := tos || last_day;
        opens := opens || is_open;
        used := used + 1;
    END LOOP;

    suspended_days := @S@.clock_suspended(froms, tos, 'infinity');
    deadline := @S@.clock_roll(
        @S@.clock_term_end(term_start, rule.term, rule.unit, rule.saturday_working, holidays,
                           patron) + suspended_days,
        rule.saturday_working, holidays, patron);
    clock_state := 'runs';
    IF stopped_on IS NOT NULL THEN
        clock_state := 'stopped';
    ELSE
        FOR i IN 1 .. coalesce(array_length(froms, 1), 0) LOOP
            IF froms[i] <= today AND (today < tos[i] OR opens[i]) THEN
                clock_state := 'suspended';
            END IF;
        END LOOP;
        FOR i IN 1 .. coalesce(array_length(break_froms, 1), 0) LOOP
            IF break_froms[i] <= today AND today < break_tos[i] THEN
                clock_state := 'suspended';
            END IF;
        END LOOP;
    END IF;
END
$$;
