// `npm run user:create -- <login>`: creates a local user (or reuses one) and prints a new API token.
import { applyLocalMigrations, createLocalUserToken } from "./local-d1.ts";

const login = process.argv[2];
if (!login) {
  console.error("usage: npm run user:create -- <login>");
  process.exit(2);
}
try {
  await applyLocalMigrations();
  const user = await createLocalUserToken(login);
  console.error(`${user.created ? "Created" : "Found"} user ${user.login} (${user.userId}). Their new API token:`);
  console.log(user.token);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
