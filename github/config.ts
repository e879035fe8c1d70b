// GitHub from the deployment's configuration: the App (id, private key, sign-in client, webhook
// secret) and where GitHub is. Absent settings mean GitHub is not configured.
import { z } from "zod";

/** Configuration keys GitHub reads. */
export interface GitHubEnv {
  GITHUB_APP_ID?: string;
  GITHUB_APP_SLUG?: string;
  GITHUB_APP_PRIVATE_KEY?: string;
  GITHUB_CLIENT_ID?: string;
  GITHUB_CLIENT_SECRET?: string;
  GITHUB_WEBHOOK_SECRET?: string;
  GITHUB_API_URL?: string;
  GITHUB_WEB_URL?: string;
  TOKEN_ENCRYPTION_KEY?: string;
  TOKEN_ENCRYPTION_KEY_PREVIOUS?: string;
}

export interface GitHubConfig {
  appId: string;
  appSlug: string | null;
  privateKeyPem: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
  apiBaseUrl: string;
  webBaseUrl: string;
  /** The secrets that seal people's tokens: the current first, then the previous one. */
  encryptionSecrets: string[];
}

const blank = (value: unknown) => (value === "" ? undefined : value);
const text = z.preprocess(blank, z.string().optional());

const GitHubEnvSchema = z.object({
  GITHUB_APP_ID: z.preprocess(
    blank,
    z.string().regex(/^\d+$/, "the App id is a number").optional(),
  ),
  GITHUB_APP_SLUG: text,
  GITHUB_APP_PRIVATE_KEY: text,
  GITHUB_CLIENT_ID: text,
  GITHUB_CLIENT_SECRET: text,
  GITHUB_WEBHOOK_SECRET: text,
  GITHUB_API_URL: z.preprocess(blank, z.url().default("https://api.github.com")),
  GITHUB_WEB_URL: z.preprocess(blank, z.url().default("https://github.com")),
  TOKEN_ENCRYPTION_KEY: z.preprocess(
    blank,
    z.string().min(32, "use at least 32 characters").optional(),
  ),
  TOKEN_ENCRYPTION_KEY_PREVIOUS: z.preprocess(blank, z.string().min(32).optional()),
});

const REQUIRED = [
  "GITHUB_APP_ID",
  "GITHUB_APP_PRIVATE_KEY",
  "GITHUB_CLIENT_ID",
  "GITHUB_CLIENT_SECRET",
  "GITHUB_WEBHOOK_SECRET",
  "TOKEN_ENCRYPTION_KEY",
] as const;

/** GitHub's settings; null when none is set; an error naming what is missing when only some are. */
export function gitHubConfigFrom(env: GitHubEnv): GitHubConfig | null {
  const parsed = GitHubEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid GitHub configuration ${issue.path.join(".")}: ${issue.message}`);
  }
  const value = parsed.data;
  const missing = REQUIRED.filter((key) => !value[key]);
  // The encryption key alone (kept in .dev.vars, say) does not configure GitHub.
  if (missing.length >= REQUIRED.length - (value.TOKEN_ENCRYPTION_KEY ? 1 : 0)) return null;
  if (missing.length > 0) {
    throw new Error(
      `GitHub is partly configured: set ${missing.join(", ")} as well (see the README).`,
    );
  }
  return {
    appId: value.GITHUB_APP_ID!,
    appSlug: value.GITHUB_APP_SLUG ?? null,
    privateKeyPem: value.GITHUB_APP_PRIVATE_KEY!.replaceAll("\\n", "\n"),
    clientId: value.GITHUB_CLIENT_ID!,
    clientSecret: value.GITHUB_CLIENT_SECRET!,
    webhookSecret: value.GITHUB_WEBHOOK_SECRET!,
    apiBaseUrl: value.GITHUB_API_URL,
    webBaseUrl: value.GITHUB_WEB_URL,
    encryptionSecrets: [
      value.TOKEN_ENCRYPTION_KEY!,
      ...(value.TOKEN_ENCRYPTION_KEY_PREVIOUS ? [value.TOKEN_ENCRYPTION_KEY_PREVIOUS] : []),
    ],
  };
}
