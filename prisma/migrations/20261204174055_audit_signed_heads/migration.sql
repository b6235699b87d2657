-- CreateTable
CREATE TABLE "audit_signed_head" (
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "signedAt" TIMESTAMPTZ(3) NOT NULL,
    "keyId" TEXT NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "audit_signed_head_pkey" PRIMARY KEY ("seq")
);

-- Hand-written, as in 20261125161300_audit_append_only: signed heads are
-- append-only too (the signature, not this trigger, is what someone able to
-- disable it cannot get past). The terminator in the body is \073 for the same
-- reason as there.

-- CreateFunction
CREATE FUNCTION "audit_signed_head_append_only"() RETURNS trigger
LANGUAGE plpgsql AS E'BEGIN\n  RAISE EXCEPTION ''audit_signed_head is append-only: % is not allowed'', TG_OP USING ERRCODE = ''insufficient_privilege''\073\nEND\n';

-- CreateTrigger
CREATE TRIGGER "audit_signed_head_no_update_delete"
    BEFORE UPDATE OR DELETE ON "audit_signed_head"
    FOR EACH ROW EXECUTE FUNCTION "audit_signed_head_append_only"();

-- CreateTrigger
CREATE TRIGGER "audit_signed_head_no_truncate"
    BEFORE TRUNCATE ON "audit_signed_head"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_signed_head_append_only"();
