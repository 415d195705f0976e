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
-- office of its workflow_transitions row. Derived columns are not checked (the writing
-- client recomputes them). Runs as the caller.
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
BEGIN
    SELECT p.lead_office, p.restricted INTO lead, type_restricted
    FROM public.procedure_types p WHERE p.id = NEW.procedure_type_id;
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

-- History rows: written in the caller's own name and office; never moved to another
-- dossier or rewritten (only a registration's effective date follows filed_on).
CREATE OR REPLACE FUNCTION @S@.guard_event() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    office_kind text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.actor_id IS NOT NULL AND NOT pg_has_role(current_user, '@ADMIN@', 'MEMBER')
            AND NOT EXISTS (SELECT 1 FROM public.staff s
                            WHERE s.id = NEW.actor_id AND s.username = session_user) THEN
            PERFORM @S@.refuse('un evento si registra solo a proprio nome');
        END IF;
        SELECT o.kind INTO office_kind FROM public.offices o WHERE o.id = NEW.office_id;
        IF office_kind IS NOT NULL AND NOT @S@.acts_for(office_kind) THEN
            PERFORM @S@.refuse('un evento si registra solo per il proprio ufficio');
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.dossier_id IS DISTINCT FROM OLD.dossier_id OR NEW.kind IS DISTINCT FROM OLD.kind
        OR NEW.from_state IS DISTINCT FROM OLD.from_state
        OR NEW.to_state IS DISTINCT FROM OLD.to_state
        OR NEW.actor_id IS DISTINCT FROM OLD.actor_id
        OR NEW.office_id IS DISTINCT FROM OLD.office_id
        OR NEW.entered_at IS DISTINCT FROM OLD.entered_at
        OR NEW.deleted_at IS DISTINCT FROM OLD.deleted_at THEN
        PERFORM @S@.refuse('la cronologia di una pratica non si riscrive');
    END IF;
    RETURN NEW;
END
$$;

-- The parere is given by the office of the procedure's via_parere move (the Questura).
CREATE OR REPLACE FUNCTION @S@.guard_parere() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    giver text;
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.dossier_id IS DISTINCT FROM OLD.dossier_id
        OR (NEW.deleted_at IS DISTINCT FROM OLD.deleted_at
            AND NOT pg_has_role(current_user, '@ADMIN@', 'MEMBER'))) THEN
        PERFORM @S@.refuse('un parere non si cancella né passa a un''altra pratica');
    END IF;
    IF TG_OP = 'INSERT' AND NEW.given_on IS NULL AND NEW.outcome IS NULL THEN
        RETURN NEW;  -- the request
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.given_on IS NOT DISTINCT FROM OLD.given_on
        AND NEW.outcome IS NOT DISTINCT FROM OLD.outcome
        AND NEW.reasons IS NOT DISTINCT FROM OLD.reasons
        AND NEW.officer_id IS NOT DISTINCT FROM OLD.officer_id THEN
        RETURN NEW;
    END IF;
    SELECT t.actor_office INTO giver
    FROM public.dossiers d JOIN public.workflow_transitions t
      ON t.procedure_type_id = d.procedure_type_id AND t.via_parere AND t.deleted_at IS NULL
    WHERE d.id = NEW.dossier_id
    LIMIT 1;
    IF giver IS NOT NULL AND NOT @S@.acts_for(giver) THEN
        PERFORM @S@.refuse(format('il parere spetta %s', @S@.office_label(giver)));
    END IF;
    RETURN NEW;
END
$$;

-- A pending item is raised in the caller's own office's name and resolved by one of the
-- two offices involved.
CREATE OR REPLACE FUNCTION @S@.guard_flag() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    raiser text;
    addressee text;
BEGIN
    SELECT o.kind INTO raiser FROM public.offices o WHERE o.id = NEW.raised_by_office_id;
    SELECT o.kind INTO addressee FROM public.offices o WHERE o.id = NEW.for_office_id;
    IF TG_OP = 'INSERT' THEN
        IF NOT @S@.acts_for(raiser) THEN
            PERFORM @S@.refuse('una segnalazione si apre solo a nome del proprio ufficio');
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.dossier_id IS DISTINCT FROM OLD.dossier_id OR NEW.number IS DISTINCT FROM OLD.number
        OR NEW.raised_by_office_id IS DISTINCT FROM OLD.raised_by_office_id
        OR NEW.for_office_id IS DISTINCT FROM OLD.for_office_id THEN
        PERFORM @S@.refuse('una segnalazione non cambia pratica, numero o uffici');
    END IF;
    IF NEW.deleted_at IS DISTINCT FROM OLD.deleted_at
        AND NOT pg_has_role(current_user, '@ADMIN@', 'MEMBER') THEN
        PERFORM @S@.refuse('una segnalazione si risolve, non si cancella');
    END IF;
    IF NOT (@S@.acts_for(raiser) OR @S@.acts_for(addressee)) THEN
        PERFORM @S@.refuse('solo gli uffici coinvolti possono modificare la segnalazione');
    END IF;
    RETURN NEW;
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
