// Tests run on an in-memory embedded database unless DATABASE_URL names a PostgreSQL server.
if (!process.env.DATABASE_URL) process.env.MERIDIAN_DATA_DIR = "memory://";
process.env.MERIDIAN_SECRET_KEY ??= "0".repeat(64);
