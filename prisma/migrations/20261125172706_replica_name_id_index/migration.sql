-- DropIndex
DROP INDEX "Replica_name_idx";

-- CreateIndex
CREATE INDEX "Replica_name_id_idx" ON "Replica"("name", "id");
