-- Hand-written (the Prisma schema cannot express triggers): audit_entry is
-- append-only in the database itself, whoever connects. Rows may be inserted,
-- but UPDATE, DELETE and TRUNCATE are refused. The hash chain (src/audit/)
-- still detects changes made by someone able to disable these triggers.
--
-- The function body is an escape string with the statement terminator written
-- as \073: @prisma/adapter-pg runs migration scripts by splitting them at every
-- semicolon, dollar-quoted bodies included, so a literal one would cut the
-- CREATE FUNCTION in two on PostgreSQL.

-- CreateFunction
CREATE FUNCTION "audit_entry_append_only"() RETURNS trigger
LANGUAGE plpgsql AS E'BEGIN\n  RAISE EXCEPTION ''audit_entry is append-only: % is not allowed'', TG_OP USING ERRCODE = ''insufficient_privilege''\073\nEND\n';

-- CreateTrigger
CREATE TRIGGER "audit_entry_no_update_delete"
    BEFORE UPDATE OR DELETE ON "audit_entry"
    FOR EACH ROW EXECUTE FUNCTION "audit_entry_append_only"();

-- CreateTrigger
CREATE TRIGGER "audit_entry_no_truncate"
    BEFORE TRUNCATE ON "audit_entry"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_entry_append_only"();
