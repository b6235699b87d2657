-- AlterTable
ALTER TABLE "BackupServer" ADD COLUMN     "containersDigest" TEXT;

-- CreateTable
CREATE TABLE "inventory_container" (
    "backupServerId" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "parentRef" TEXT,
    "hostName" TEXT NOT NULL,

    CONSTRAINT "inventory_container_pkey" PRIMARY KEY ("backupServerId","ref")
);

-- CreateIndex
CREATE INDEX "inventory_container_parentRef_idx" ON "inventory_container"("parentRef");

-- CreateIndex
CREATE INDEX "inventory_container_name_backupServerId_ref_idx" ON "inventory_container"("name", "backupServerId", "ref");

-- AddForeignKey
ALTER TABLE "inventory_container" ADD CONSTRAINT "inventory_container_backupServerId_fkey" FOREIGN KEY ("backupServerId") REFERENCES "BackupServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
