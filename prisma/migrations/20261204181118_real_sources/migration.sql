-- CreateEnum
CREATE TYPE "EditionSource" AS ENUM ('VBR_LICENSE', 'SETTING', 'UNKNOWN');

-- AlterTable
ALTER TABLE "BackupServer" ADD COLUMN     "editionDetail" TEXT,
ADD COLUMN     "editionSource" "EditionSource" NOT NULL DEFAULT 'UNKNOWN',
ADD COLUMN     "hierarchyError" TEXT,
ADD COLUMN     "hierarchyObjects" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "hierarchyReadAt" TIMESTAMP(3),
ADD COLUMN     "licenseError" TEXT,
ADD COLUMN     "licenseReadAt" TIMESTAMP(3),
ADD COLUMN     "replicaStatesError" TEXT,
ADD COLUMN     "replicaStatesReadAt" TIMESTAMP(3),
ADD COLUMN     "replicasMatched" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "replicasUnmatched" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "unmatched" TEXT[],
ADD COLUMN     "vbrConfigured" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "vbrReachable" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "vbrRevision" TEXT;

-- AlterTable
ALTER TABLE "Replica" ADD COLUMN     "vbrReplicaId" TEXT;
