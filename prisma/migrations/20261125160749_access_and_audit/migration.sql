-- CreateEnum
CREATE TYPE "PortalRole" AS ENUM ('PORTAL_ADMINISTRATOR', 'PORTAL_USER', 'RESTORE_OPERATOR');

-- CreateEnum
CREATE TYPE "AccountType" AS ENUM ('USER', 'GROUP');

-- CreateEnum
CREATE TYPE "AuditDecision" AS ENUM ('ALLOW', 'DENY');

-- CreateTable
CREATE TABLE "Account" (
    "id" UUID NOT NULL,
    "type" "AccountType" NOT NULL,
    "name" TEXT NOT NULL,
    "displayName" TEXT,
    "roles" "PortalRole"[],
    "scopeAll" BOOLEAN NOT NULL DEFAULT false,
    "allowedKinds" "ReplicaKind"[] DEFAULT ARRAY['VM_REPLICA', 'CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP']::"ReplicaKind"[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scope_item" (
    "accountId" UUID NOT NULL,
    "ref" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scope_item_pkey" PRIMARY KEY ("accountId","ref")
);

-- CreateTable
CREATE TABLE "replica_visibility" (
    "accountId" UUID NOT NULL,
    "replicaId" UUID NOT NULL,

    CONSTRAINT "replica_visibility_pkey" PRIMARY KEY ("accountId","replicaId")
);

-- CreateTable
CREATE TABLE "audit_entry" (
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actorSubject" TEXT,
    "actorGroups" TEXT[],
    "actorRoles" TEXT[],
    "action" TEXT NOT NULL,
    "subjectType" TEXT,
    "subjectId" TEXT,
    "decision" "AuditDecision" NOT NULL,
    "rule" TEXT,
    "reason" TEXT,
    "requestId" TEXT,
    "clientAddress" TEXT,
    "userAgent" TEXT,
    "callerReason" TEXT,
    "details" JSONB,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "Account_type_name_key" ON "Account"("type", "name");

-- CreateIndex
CREATE INDEX "scope_item_ref_idx" ON "scope_item"("ref");

-- CreateIndex
CREATE INDEX "replica_visibility_replicaId_idx" ON "replica_visibility"("replicaId");

-- CreateIndex
CREATE UNIQUE INDEX "audit_entry_hash_key" ON "audit_entry"("hash");

-- CreateIndex
CREATE INDEX "audit_entry_at_idx" ON "audit_entry"("at");

-- CreateIndex
CREATE INDEX "audit_entry_actorSubject_seq_idx" ON "audit_entry"("actorSubject", "seq");

-- CreateIndex
CREATE INDEX "audit_entry_action_seq_idx" ON "audit_entry"("action", "seq");

-- CreateIndex
CREATE INDEX "audit_entry_subjectId_seq_idx" ON "audit_entry"("subjectId", "seq");

-- AddForeignKey
ALTER TABLE "scope_item" ADD CONSTRAINT "scope_item_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "replica_visibility" ADD CONSTRAINT "replica_visibility_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "replica_visibility" ADD CONSTRAINT "replica_visibility_replicaId_fkey" FOREIGN KEY ("replicaId") REFERENCES "Replica"("id") ON DELETE CASCADE ON UPDATE CASCADE;
