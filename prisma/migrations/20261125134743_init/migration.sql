-- CreateTable
CREATE TABLE "GatewayInstance" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "version" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GatewayInstance_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GatewayInstance_heartbeatAt_idx" ON "GatewayInstance"("heartbeatAt");
