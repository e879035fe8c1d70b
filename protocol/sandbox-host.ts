// The sandbox host's HTTP API: what the control plane sends and what the host answers.
import { z } from "zod";

/** Resource limits of one sandbox. */
export const LimitsSchema = z.object({
  memoryMiB: z
    .number()
    .int()
    .min(32)
    .max(64 * 1024)
    .default(2048),
  pids: z.number().int().min(16).max(65_536).default(1024),
  /** CPU time per wall time: 1000 is one core. */
  cpuMillis: z.number().int().min(100).max(64_000).default(2000),
});
export type Limits = z.infer<typeof LimitsSchema>;

/** What a host can enforce, so the control plane knows what it is getting. */
export const CapabilitiesSchema = z.object({
  provider: z.string(),
  root: z.boolean(),
  isolation: z.enum(["bubblewrap", "container"]),
  limits: z.object({ memory: z.boolean(), pids: z.boolean(), cpu: z.boolean() }),
  seccomp: z.boolean(),
  network: z.enum(["none", "control-plane-only"]),
  snapshots: z.boolean(),
  /** Sentences naming what this host cannot enforce. */
  missing: z.array(z.string()),
});
export type Capabilities = z.infer<typeof CapabilitiesSchema>;

/** One step of an image build: a shell command run in the workspace. */
export const BuildStepSchema = z.object({
  name: z.string().min(1).max(100),
  run: z.string().min(1).max(10_000),
  timeoutSec: z.number().int().min(1).max(3_600).default(900),
  /** Whether this step may use the host's network; defaults to the build's setting. */
  network: z.boolean().optional(),
});
export type BuildStep = z.infer<typeof BuildStepSchema>;

/** POST /v1/images: build an image of a repository at an exact commit. */
export const BuildImageRequestSchema = z.object({
  /** The id the image gets (the control plane records the build before it starts); generated when absent. */
  id: z
    .string()
    .regex(/^img_[0-9a-z]{26}$/)
    .optional(),
  repo: z.string().min(1).max(200),
  /** Where to clone from (https or a local path for self-hosted mirrors). */
  cloneUrl: z.string().min(1).max(2_000),
  commit: z.string().regex(/^[0-9a-f]{7,64}$/, "a commit is a hex object id"),
  /** A credential for this clone only; never stored in the image. */
  credential: z
    .object({ username: z.string().max(200), password: z.string().max(2_000) })
    .optional(),
  steps: z.array(BuildStepSchema).max(50).default([]),
  env: z.record(z.string(), z.string()).default({}),
  /** Whether build steps may use the host's network (never granted to session sandboxes). */
  network: z.boolean().default(false),
  /** Read the steps, environment and limits from the repository's `.tandem/image.yaml` instead. */
  recipeFromRepository: z.boolean().default(false),
});
export type BuildImageRequest = z.input<typeof BuildImageRequestSchema>;

/** A built, immutable image. */
export const ImageSchema = z.object({
  id: z.string(),
  repo: z.string(),
  commit: z.string(),
  createdAt: z.number(),
  sizeBytes: z.number().int(),
  steps: z.array(
    z.object({ name: z.string(), exitCode: z.number().int().nullable(), durationMs: z.number() }),
  ),
  /** Limits the recipe asks for sandboxes of this image; null: the platform's defaults. */
  limits: LimitsSchema.nullable().default(null),
});
export type Image = z.infer<typeof ImageSchema>;

/** Lines of the NDJSON stream that POST /v1/images answers with. */
export const BuildEventSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("log"),
    step: z.string(),
    stream: z.enum(["stdout", "stderr", "system"]),
    text: z.string(),
  }),
  z.object({ type: z.literal("done"), image: ImageSchema }),
  z.object({ type: z.literal("failed"), step: z.string().nullable(), message: z.string() }),
]);
export type BuildEvent = z.infer<typeof BuildEventSchema>;

/** POST /v1/sandboxes */
export const CreateSandboxRequestSchema = z.object({
  from: z.union([z.object({ imageId: z.string() }), z.object({ snapshotId: z.string() })]),
  /** Without limits, the image's recipe decides, then the platform's defaults. */
  limits: LimitsSchema.optional(),
  env: z.record(z.string(), z.string()).default({}),
});
export type CreateSandboxRequest = z.input<typeof CreateSandboxRequestSchema>;

/** A sandbox as the host reports it. */
export const SandboxSchema = z.object({
  id: z.string(),
  imageId: z.string(),
  restoredFrom: z.string().nullable(),
  state: z.enum(["running", "exited"]),
  createdAt: z.number(),
  limits: LimitsSchema,
});
export type Sandbox = z.infer<typeof SandboxSchema>;

/** The longest a command may run. */
export const MAX_EXEC_TIMEOUT_MS = 30 * 60_000;

/** POST /v1/sandboxes/:id/exec */
export const ExecRequestSchema = z.object({
  argv: z.array(z.string().max(100_000)).min(1).max(10_000),
  cwd: z.string().max(4_096).optional(),
  env: z.record(z.string(), z.string()).default({}),
  timeoutMs: z.number().int().min(1).max(MAX_EXEC_TIMEOUT_MS).default(120_000),
  maxOutputBytes: z
    .number()
    .int()
    .min(1_024)
    .max(16 * 1024 * 1024)
    .default(1024 * 1024),
  /** Bytes for the command's stdin, base64. */
  stdin: z.string().optional(),
});
export type ExecRequest = z.input<typeof ExecRequestSchema>;

/** How a command ended; output is the kept head and tail of each stream, base64. */
export const ExecResultSchema = z.object({
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  timedOut: z.boolean(),
  durationMs: z.number(),
  stdout: z.string(),
  stderr: z.string(),
  stdoutBytes: z.number().int(),
  stderrBytes: z.number().int(),
  truncated: z.boolean(),
});
export type ExecResult = z.infer<typeof ExecResultSchema>;

/** Lines of the NDJSON stream that POST /v1/sandboxes/:id/exec answers with. */
export const ExecEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("started"), execId: z.string() }),
  z.object({ type: z.literal("output"), stream: z.enum(["stdout", "stderr"]), data: z.string() }),
  z.object({ type: z.literal("exit"), result: ExecResultSchema }),
  z.object({ type: z.literal("failed"), code: z.string(), message: z.string() }),
]);
export type ExecEvent = z.infer<typeof ExecEventSchema>;

/** A snapshot of a sandbox's workspace changes, bound to the image it was taken on. */
export const SnapshotSchema = z.object({
  id: z.string(),
  sandboxId: z.string(),
  imageId: z.string(),
  createdAt: z.number(),
  sizeBytes: z.number().int(),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

/** What a host saved of a sandbox that a crash of the host stopped: its workspace changes up to
 * the moment it stopped, as a snapshot on the sandbox's image, and when they were saved. */
export const RescueSchema = z.object({
  snapshotId: z.string(),
  imageId: z.string(),
  at: z.number(),
});
export type Rescue = z.infer<typeof RescueSchema>;

/** PUT /v1/sandboxes/:id/files */
export const WriteFileRequestSchema = z.object({
  path: z.string().min(1).max(4_096),
  /** Contents, base64. */
  data: z.string(),
  mode: z.number().int().min(0).max(0o7777).optional(),
});

/** POST /v1/sandboxes/:id/ports: make a server on the sandbox's loopback reachable. */
export const ExposePortRequestSchema = z.object({ port: z.number().int().min(1).max(65_535) });
export type ExposePortRequest = z.infer<typeof ExposePortRequestSchema>;

/** An exposed port: any request under `url` (with the host token) reaches the port's server. */
export const ExposedPortSchema = z.object({ port: z.number().int(), url: z.string() });
export type ExposedPort = z.infer<typeof ExposedPortSchema>;

/** Error codes the host answers with, in `{ error: { code, message } }`. */
export const HostErrorCodeSchema = z.enum([
  "invalid_input",
  "unauthenticated",
  "not_found",
  "image_in_use",
  "snapshot_image_mismatch",
  "sandbox_exited",
  "build_failed",
  /** An exposed port whose server did not answer (nothing listens on it inside the sandbox). */
  "port_unreachable",
  "unavailable",
  "internal",
]);
export type HostErrorCode = z.infer<typeof HostErrorCodeSchema>;

/** HTTP statuses of the error codes, which containers answer with too. */
export const ERROR_STATUS: Record<HostErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  not_found: 404,
  image_in_use: 409,
  snapshot_image_mismatch: 409,
  sandbox_exited: 410,
  build_failed: 422,
  port_unreachable: 502,
  unavailable: 503,
  internal: 500,
};

/** POST /v1/refs/resolve: the commit a branch of a remote repository points at. */
export const ResolveBranchRequestSchema = z.object({
  cloneUrl: z.string().min(1).max(2_000),
  branch: z.string().min(1).max(255),
  credential: z
    .object({ username: z.string().max(200), password: z.string().max(2_000) })
    .optional(),
});
export type ResolveBranchRequest = z.input<typeof ResolveBranchRequestSchema>;

/** A credential for one git operation against the remote. */
const GitCredentialSchema = z.object({
  username: z.string().max(200),
  password: z.string().max(2_000),
});
/** A branch name a person could type. */
const BranchNameSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(
    /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._\/-]+(?<!\.lock)(?<![/.])$/,
    "must be a valid branch name",
  );

/** POST /v1/sandboxes/:id/git/sync: bring the workspace to the remote branch's latest commit. */
export const GitSyncRequestSchema = z.object({
  cloneUrl: z.string().min(1).max(2_000),
  branch: BranchNameSchema,
  /** The local branch the workspace works on, created or reset at that commit. */
  workBranch: BranchNameSchema.default("tandem/work"),
  credential: GitCredentialSchema.optional(),
});
export type GitSyncRequest = z.infer<typeof GitSyncRequestSchema>;

/** What a sync did. */
export const GitSyncResultSchema = z.object({
  commit: z.string(),
  /** The image's commit the workspace started from. */
  base: z.string().nullable(),
  changed: z.boolean(),
});
export type GitSyncResult = z.infer<typeof GitSyncResultSchema>;

/** POST /v1/sandboxes/:id/git/push: publish the workspace's work branch to a remote branch. */
export const GitPushRequestSchema = z.object({
  cloneUrl: z.string().min(1).max(2_000),
  workBranch: BranchNameSchema.default("tandem/work"),
  branch: BranchNameSchema,
  force: z.boolean().default(false),
  credential: GitCredentialSchema.optional(),
});
export type GitPushRequest = z.infer<typeof GitPushRequestSchema>;

/** What a push published. */
export const GitPushResultSchema = z.object({ commit: z.string(), branch: z.string() });
export type GitPushResult = z.infer<typeof GitPushResultSchema>;
