// The image registry's API bodies and the live build-log socket.
import { z } from "zod";
import { RepoSchema } from "./api.ts";

/** POST /api/repositories */
export const RegisterRepositoryBodySchema = z.object({
  repo: RepoSchema,
  /** Where the sandbox host clones from; defaults to the repository on GitHub. */
  cloneUrl: z.string().min(1).max(2_000).optional(),
  defaultBranch: z.string().min(1).max(255).default("main"),
  /** A recipe (JSON form of `.tandem/image.yaml`); without one the repository's own file is used. */
  recipe: z.unknown().optional(),
  warmPoolSize: z.number().int().min(0).max(20).default(1),
});

/** PUT /api/repositories/:owner/:name/recipe (null: use the repository's own file again) */
export const SetRecipeBodySchema = z.object({ recipe: z.unknown().nullable() });

/** POST /api/repositories/:owner/:name/images */
export const BuildNowBodySchema = z.object({
  commit: z
    .string()
    .regex(/^[0-9a-f]{7,64}$/, "a commit is a hex object id")
    .optional(),
});

/** A line of a build's log. */
export const BuildLogLineSchema = z.object({
  seq: z.number().int(),
  imageId: z.string(),
  step: z.string(),
  stream: z.enum(["stdout", "stderr", "system"]),
  text: z.string(),
  at: z.number(),
});
export type BuildLogLine = z.infer<typeof BuildLogLineSchema>;

/** What a repository's pool reports. */
export const PoolStatusSchema = z.object({
  repo: z.string().nullable(),
  currentImageId: z.string().nullable(),
  building: z.object({ imageId: z.string(), commit: z.string(), startedAt: z.number() }).nullable(),
  warm: z.number().int(),
});
export type PoolStatus = z.infer<typeof PoolStatusSchema>;

/** Messages on a repository's build socket. */
export const BuildSocketMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("status"), status: PoolStatusSchema }),
  z.object({ type: z.literal("log"), lines: z.array(BuildLogLineSchema) }),
  z.object({
    type: z.literal("finished"),
    imageId: z.string(),
    ok: z.boolean(),
    error: z.string().nullable(),
  }),
]);
export type BuildSocketMessage = z.infer<typeof BuildSocketMessageSchema>;
