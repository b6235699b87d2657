-- CreateEnum
CREATE TYPE "FailoverState" AS ENUM ('DISPATCHING', 'OUTCOME_UNKNOWN', 'RUNNING', 'SUCCEEDED', 'WARNING', 'FAILED', 'NOT_STARTED');

-- CreateTable
CREATE TABLE "failover_operation" (
    "id" UUID NOT NULL,
    "kind" "ReplicaKind" NOT NULL,
    "replicaId" UUID,
    "replicaEmKey" TEXT NOT NULL,
    "replicaName" TEXT NOT NULL,
    "emDisplayName" TEXT NOT NULL,
    "backupServerId" TEXT NOT NULL,
    "restorePointId" TEXT,
    "restorePointTime" TIMESTAMPTZ(3),
    "cdpTarget" TEXT,
    "cdpTargetAt" TIMESTAMPTZ(3),
    "initiatorSubject" TEXT NOT NULL,
    "initiatorGroups" TEXT[],
    "initiatorRoles" TEXT[],
    "callerReason" TEXT,
    "requestId" TEXT,
    "idempotencyKey" TEXT,
    "idempotencyExpiresAt" TIMESTAMPTZ(3),
    "requestHash" TEXT NOT NULL,
    "state" "FailoverState" NOT NULL,
    "progress" INTEGER NOT NULL DEFAULT 0,
    "emTaskId" TEXT,
    "restoreSessionId" TEXT,
    "result" TEXT,
    "message" TEXT,
    "replicaState" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatchedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "leaseOwner" TEXT,
    "leaseExpiresAt" TIMESTAMPTZ(3),

    CONSTRAINT "failover_operation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "active_failover" (
    "replicaId" UUID NOT NULL,
    "operationId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "active_failover_pkey" PRIMARY KEY ("replicaId")
);

-- CreateIndex
CREATE INDEX "failover_operation_state_leaseExpiresAt_idx" ON "failover_operation"("state", "leaseExpiresAt");

-- CreateIndex
CREATE INDEX "failover_operation_replicaId_createdAt_idx" ON "failover_operation"("replicaId", "createdAt");

-- CreateIndex
CREATE INDEX "failover_operation_createdAt_id_idx" ON "failover_operation"("createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "failover_operation_initiatorSubject_idempotencyKey_key" ON "failover_operation"("initiatorSubject", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "active_failover_operationId_key" ON "active_failover"("operationId");

-- AddForeignKey
ALTER TABLE "failover_operation" ADD CONSTRAINT "failover_operation_replicaId_fkey" FOREIGN KEY ("replicaId") REFERENCES "Replica"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "active_failover" ADD CONSTRAINT "active_failover_operationId_fkey" FOREIGN KEY ("operationId") REFERENCES "failover_operation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
