-- AlterTable
ALTER TABLE "failover_operation" ADD COLUMN     "nextLookAt" TIMESTAMPTZ(3),
ADD COLUMN     "sequence" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "sessionState" TEXT,
ADD COLUMN     "taskState" TEXT;

-- CreateTable
CREATE TABLE "failover_event" (
    "operationId" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "state" "FailoverState" NOT NULL,
    "progress" INTEGER NOT NULL,
    "taskState" TEXT,
    "sessionState" TEXT,
    "result" TEXT,
    "message" TEXT,
    "replicaState" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "failover_event_pkey" PRIMARY KEY ("operationId","sequence")
);

-- CreateIndex
CREATE INDEX "failover_event_recordedAt_idx" ON "failover_event"("recordedAt");

-- AddForeignKey
ALTER TABLE "failover_event" ADD CONSTRAINT "failover_event_operationId_fkey" FOREIGN KEY ("operationId") REFERENCES "failover_operation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Operations from before events existed get their state as event 1, so every operation has a history to replay.
INSERT INTO "failover_event" ("operationId", "sequence", "state", "progress", "taskState", "sessionState", "result", "message", "replicaState", "at")
SELECT "id", 1, "state", "progress", "taskState", "sessionState", "result", "message", "replicaState", "updatedAt" FROM "failover_operation";
UPDATE "failover_operation" SET "sequence" = 1;

-- Every change a watcher sees raises the operation's sequence (before the row is written)...
CREATE FUNCTION failover_operation_sequence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW."sequence" := 1;
  ELSIF (NEW."state", NEW."progress", NEW."taskState", NEW."sessionState", NEW."result", NEW."message", NEW."replicaState")
        IS DISTINCT FROM (OLD."state", OLD."progress", OLD."taskState", OLD."sessionState", OLD."result", OLD."message", OLD."replicaState") THEN
    NEW."sequence" := OLD."sequence" + 1;
  ELSE
    NEW."sequence" := OLD."sequence";
  END IF;
  RETURN NEW;
END $$;

-- ...and writes the event in the same statement: a change and its event commit together or not at all.
CREATE FUNCTION failover_operation_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "failover_event" ("operationId", "sequence", "state", "progress", "taskState", "sessionState", "result", "message", "replicaState", "at")
  VALUES (NEW."id", NEW."sequence", NEW."state", NEW."progress", NEW."taskState", NEW."sessionState", NEW."result", NEW."message", NEW."replicaState", NEW."updatedAt");
  RETURN NULL;
END $$;

CREATE TRIGGER failover_operation_sequence BEFORE INSERT OR UPDATE ON "failover_operation"
  FOR EACH ROW EXECUTE FUNCTION failover_operation_sequence();
CREATE TRIGGER failover_operation_event_insert AFTER INSERT ON "failover_operation"
  FOR EACH ROW EXECUTE FUNCTION failover_operation_event();
CREATE TRIGGER failover_operation_event_update AFTER UPDATE ON "failover_operation"
  FOR EACH ROW WHEN (NEW."sequence" <> OLD."sequence") EXECUTE FUNCTION failover_operation_event();
