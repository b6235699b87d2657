-- CreateEnum
CREATE TYPE "LicenseEdition" AS ENUM ('COMMUNITY', 'STANDARD', 'ENTERPRISE', 'ENTERPRISE_PLUS', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "ReplicaKind" AS ENUM ('VM_REPLICA', 'CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP');

-- CreateTable
CREATE TABLE "BackupServer" (
    "id" TEXT NOT NULL,
    "emId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "edition" "LicenseEdition" NOT NULL,
    "version" TEXT,
    "description" TEXT,
    "contentHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSyncStartedAt" TIMESTAMP(3),
    "lastSyncedAt" TIMESTAMP(3),
    "lastSyncFailedAt" TIMESTAMP(3),
    "lastSyncError" TEXT,
    "stale" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "BackupServer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Replica" (
    "id" UUID NOT NULL,
    "emKey" TEXT NOT NULL,
    "kind" "ReplicaKind" NOT NULL,
    "name" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "state" TEXT,
    "backupServerId" TEXT NOT NULL,
    "parentEmId" TEXT,
    "parentEmUid" TEXT,
    "emId" TEXT,
    "objectRef" TEXT,
    "jobUid" TEXT,
    "jobName" TEXT,
    "policyUid" TEXT,
    "policyName" TEXT,
    "refs" TEXT[],
    "memberVmRefs" TEXT[],
    "contentHash" TEXT NOT NULL,
    "syncedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cdpHash" TEXT,
    "cdpSyncedAt" TIMESTAMP(3),
    "hasApplicationConsistentState" BOOLEAN,

    CONSTRAINT "Replica_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "replica_ref" (
    "replicaId" UUID NOT NULL,
    "ref" TEXT NOT NULL,

    CONSTRAINT "replica_ref_pkey" PRIMARY KEY ("replicaId","ref")
);

-- CreateTable
CREATE TABLE "RestorePoint" (
    "id" TEXT NOT NULL,
    "uid" TEXT NOT NULL,
    "replicaId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "creationTime" TIMESTAMP(3) NOT NULL,
    "algorithm" TEXT,
    "pointType" TEXT,
    "contentHash" TEXT NOT NULL,
    "syncedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RestorePoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CdpRange" (
    "id" BIGSERIAL NOT NULL,
    "replicaId" UUID NOT NULL,
    "start" TIMESTAMP(3) NOT NULL,
    "end" TIMESTAMP(3) NOT NULL,
    "rpo" INTEGER,
    "type" TEXT NOT NULL,

    CONSTRAINT "CdpRange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CdpLongTermPoint" (
    "id" BIGSERIAL NOT NULL,
    "replicaId" UUID NOT NULL,
    "emId" TEXT NOT NULL,
    "date" TIMESTAMP(3) NOT NULL,
    "applicationConsistent" BOOLEAN NOT NULL,

    CONSTRAINT "CdpLongTermPoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InventorySyncState" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "lastStartedAt" TIMESTAMP(3),
    "lastFinishedAt" TIMESTAMP(3),
    "lastSucceededAt" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "InventorySyncState_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Replica_emKey_key" ON "Replica"("emKey");

-- CreateIndex
CREATE INDEX "Replica_kind_idx" ON "Replica"("kind");

-- CreateIndex
CREATE INDEX "Replica_backupServerId_idx" ON "Replica"("backupServerId");

-- CreateIndex
CREATE INDEX "Replica_name_idx" ON "Replica"("name");

-- CreateIndex
CREATE INDEX "replica_ref_ref_idx" ON "replica_ref"("ref");

-- CreateIndex
CREATE INDEX "RestorePoint_replicaId_creationTime_idx" ON "RestorePoint"("replicaId", "creationTime");

-- CreateIndex
CREATE INDEX "CdpRange_replicaId_start_idx" ON "CdpRange"("replicaId", "start");

-- CreateIndex
CREATE INDEX "CdpLongTermPoint_replicaId_date_idx" ON "CdpLongTermPoint"("replicaId", "date");

-- AddForeignKey
ALTER TABLE "Replica" ADD CONSTRAINT "Replica_backupServerId_fkey" FOREIGN KEY ("backupServerId") REFERENCES "BackupServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "replica_ref" ADD CONSTRAINT "replica_ref_replicaId_fkey" FOREIGN KEY ("replicaId") REFERENCES "Replica"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RestorePoint" ADD CONSTRAINT "RestorePoint_replicaId_fkey" FOREIGN KEY ("replicaId") REFERENCES "Replica"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CdpRange" ADD CONSTRAINT "CdpRange_replicaId_fkey" FOREIGN KEY ("replicaId") REFERENCES "Replica"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CdpLongTermPoint" ADD CONSTRAINT "CdpLongTermPoint_replicaId_fkey" FOREIGN KEY ("replicaId") REFERENCES "Replica"("id") ON DELETE CASCADE ON UPDATE CASCADE;
