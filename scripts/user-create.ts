// `npm run user:create -- <login> [--remote]`: creates a user (or reuses one) and prints a new API token.
import { applyLocalMigrations, createLocalUserToken } from "./local-d1.ts";

const args = process.argv.slice(2);
const remote = args.includes("--remote");
const login = args.find((arg) => !arg.startsWith("--"));
if (!login) {
  console.error("usage: npm run user:create -- <login> [--remote]");
  process.exit(2);
}
try {
  if (!remote) await applyLocalMigrations();
  const user = await createLocalUserToken(login, remote ? { target: "remote" } : {});
  console.error(`${user.created ? "Created" : "Found"} user ${user.login} (${user.userId}). Their new API token:`);
  console.log(user.token);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
