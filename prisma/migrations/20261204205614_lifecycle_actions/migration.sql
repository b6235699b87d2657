-- CreateEnum
CREATE TYPE "ReplicaAction" AS ENUM ('FAILOVER', 'PLANNED_FAILOVER', 'UNDO_FAILOVER', 'PERMANENT_FAILOVER', 'FAILBACK', 'SWITCH_TO_PRODUCTION', 'COMMIT_FAILBACK', 'UNDO_FAILBACK');

-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "grantedActions" "ReplicaAction"[] DEFAULT ARRAY[]::"ReplicaAction"[];

-- AlterTable
ALTER TABLE "failover_operation" ADD COLUMN     "action" "ReplicaAction" NOT NULL DEFAULT 'FAILOVER',
ADD COLUMN     "parameters" JSONB,
ADD COLUMN     "upstreamPointId" TEXT;
