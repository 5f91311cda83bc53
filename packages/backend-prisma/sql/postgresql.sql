-- @o365/backend-prisma: the table of the O365Token model (schema.prisma), for PostgreSQL.
-- Apply once, e.g. `psql "$DATABASE_URL" -f sql/postgresql.sql`. Safe to re-run.
CREATE TABLE IF NOT EXISTS "o365_token" (
    "id" TEXT NOT NULL,
    "value" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "lease_owner" TEXT,
    "lease_expires_at" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "o365_token_pkey" PRIMARY KEY ("id")
);
