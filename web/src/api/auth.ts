// Sign-in methods, sign in, sign out and "who am I" calls.
import type { AuthProviders } from "../../../protocol/api.ts";
import type { Person } from "../../../protocol/events.ts";
import { ApiError, request } from "./client.ts";

/** The signed-in person, or null when nobody is. */
export async function fetchMe(): Promise<Person | null> {
  try {
    return (await request<{ user: Person }>("GET", "/api/auth/me")).user;
  } catch (error) {
    if (error instanceof ApiError && error.code === "unauthenticated") return null;
    throw error;
  }
}

/** Exchanges a personal API token for a browser session cookie. */
export async function signIn(token: string): Promise<Person> {
  return (await request<{ user: Person }>("POST", "/api/auth/session", { token })).user;
}

/** Ends the browser session. */
export async function signOut(): Promise<void> {
  await request<void>("DELETE", "/api/auth/session");
}

/** The sign-in methods this deployment offers; tokens only when it cannot be asked. */
export async function fetchProviders(): Promise<AuthProviders> {
  try {
    return await request<AuthProviders>("GET", "/api/auth/providers");
  } catch {
    return { github: false, local: true };
  }
}
