-- CreateTable
CREATE TABLE "read_generation" (
    "kind" TEXT NOT NULL,
    "value" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "read_generation_pkey" PRIMARY KEY ("kind")
);

-- Both counters exist from the start: a bump is a plain UPDATE, a read a plain SELECT.
INSERT INTO "read_generation" ("kind") VALUES ('policy'), ('data');
