-- Visibility rows carry their replica's name, the first key of the replicas
-- connection's order (name, id): a restricted caller's page walks its own
-- account's rows in that order and stops after a page, instead of walking
-- every replica by name and probing each one's visibility (docs/reads.md).

-- AlterTable: filled from the replicas before it becomes required.
ALTER TABLE "replica_visibility" ADD COLUMN "name" TEXT;
UPDATE "replica_visibility" v SET "name" = r."name" FROM "Replica" r WHERE r."id" = v."replicaId";
ALTER TABLE "replica_visibility" ALTER COLUMN "name" SET NOT NULL;

-- CreateIndex
CREATE INDEX "replica_visibility_accountId_name_replicaId_idx" ON "replica_visibility"("accountId", "name", "replicaId");

-- A rename reaches the copies in the statement that renames, whoever writes
-- it: the keyset never sees a name the replica no longer has.
CREATE FUNCTION replica_visibility_rename() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "replica_visibility" SET "name" = NEW."name" WHERE "replicaId" = NEW."id";
  RETURN NULL;
END $$;

CREATE TRIGGER replica_visibility_rename AFTER UPDATE OF "name" ON "Replica"
  FOR EACH ROW WHEN (OLD."name" IS DISTINCT FROM NEW."name") EXECUTE FUNCTION replica_visibility_rename();
