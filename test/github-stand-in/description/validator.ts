// GitHub's published REST API description (`@octokit/openapi`, api.github.com) as checks of the
// requests the stand-in receives, the responses it serves and the webhook payloads it sends.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { applyErrata } from "./errata.ts";
import { rewriteNullable } from "./nullable.ts";

const SPEC_FILE = "@octokit/openapi/generated/api.github.com.json";
const SPEC_ID = "github";
/** How many schema errors one problem lists before it stops. */
const MAX_ERRORS_SHOWN = 8;

type Json = Record<string, unknown>;

/** One operation of the description that the stand-in serves. */
export interface Operation {
  /** `pulls/create`, as the description names it. */
  operationId: string;
  method: string;
  /** The description's path template, `/repos/{owner}/{repo}/pulls`. */
  specPath: string;
  /** Matches a request path; the groups are the path parameters in `paramNames` order. */
  pattern: RegExp;
  paramNames: string[];
  /** The operation's page in GitHub's docs: the `documentation_url` of its errors. */
  docsUrl: string;
}

/** What the request carried, as the route saw it. */
export interface RequestInput {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body; undefined when there was none. */
  body: unknown;
}

/** The description, compiled on demand. Each check returns its problems; none means it matches. */
export interface Description {
  /** The operation at `method` + `specPath`; throws when the description has none. */
  operation(method: string, specPath: string): Operation;
  /** The operation id of GitHub's operation at `method` + `pathname`, if the description has one. */
  identify(method: string, pathname: string): string | null;
  checkRequest(operation: Operation, input: RequestInput): string[];
  checkResponse(operation: Operation, status: number, body: unknown): string[];
  /** Checks a webhook payload against the description's `x-webhooks` entry for event and action. */
  checkWebhook(event: string, action: string | undefined, payload: unknown): string[];
}

const escapePointer = (segment: string): string =>
  encodeURIComponent(segment.replaceAll("~", "~0").replaceAll("/", "~1"));

/** A JSON pointer (as a list of segments) and the object it points at. */
interface Located {
  at: string[];
  node: Json;
}

function locate(spec: Json, at: string[]): Located {
  let node: unknown = spec;
  for (const segment of at) node = (node as Json | undefined)?.[segment];
  if (typeof node !== "object" || node === null) throw new Error(`no ${at.join("/")} in spec`);
  const ref = (node as Json).$ref;
  if (typeof ref === "string" && ref.startsWith("#/")) return locate(spec, ref.slice(2).split("/"));
  return { at, node: node as Json };
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  const lines = (errors ?? []).slice(0, MAX_ERRORS_SHOWN).map((error) => {
    const where = error.instancePath === "" ? "(root)" : error.instancePath;
    const extra =
      error.keyword === "additionalProperties"
        ? ` (${String(error.params.additionalProperty)})`
        : error.keyword === "enum"
          ? ` (${JSON.stringify(error.params.allowedValues)})`
          : "";
    return `${where} ${error.message ?? error.keyword}${extra}`;
  });
  const more = (errors?.length ?? 0) - lines.length;
  return lines.join("; ") + (more > 0 ? `; and ${more} more` : "");
}

function coerceParam(value: string, schema: Json): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === "integer" || type === "number")
    return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (type === "boolean") return value === "true" ? true : value === "false" ? false : value;
  if (type === "array") return value.split(",");
  return value;
}

function build(spec: Json): Description {
  applyErrata(spec);
  rewriteNullable(spec);
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
  addFormats(ajv);
  ajv.addFormat("repo.nwo", true);
  ajv.addFormat("timestamp", true);
  ajv.addSchema(spec, SPEC_ID);
  const validators = new Map<string, ValidateFunction>();
  const validator = (at: string[]): ValidateFunction => {
    const key = `${SPEC_ID}#/${at.map(escapePointer).join("/")}`;
    let found = validators.get(key);
    if (!found) {
      found = ajv.getSchema(key);
      if (!found) throw new Error(`github stand-in: no schema at ${key}`);
      validators.set(key, found);
    }
    return found;
  };
  const check = (at: string[], value: unknown): string | null => {
    const validate = validator(at);
    return validate(value) ? null : describeErrors(validate.errors);
  };

  const operationAt = (operation: Operation): string[] => [
    "paths",
    operation.specPath,
    operation.method,
  ];

  const parameters = (operation: Operation): Located[] => {
    const list = locate(spec, operationAt(operation)).node.parameters;
    return Array.isArray(list)
      ? list.map((_, index) =>
          locate(spec, [...operationAt(operation), "parameters", String(index)]),
        )
      : [];
  };

  let everyPath: { pattern: RegExp; specPath: string }[] | null = null;

  return {
    identify(method, pathname) {
      everyPath ??= Object.keys(spec.paths as Json).map((specPath) => ({
        specPath,
        pattern: new RegExp(
          `^${specPath.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{\w+\}/g, "[^/]+")}$`,
        ),
      }));
      const lower = method.toLowerCase();
      // Literal paths first: `/user/installations` before `/users/{username}`-like templates.
      const matches = everyPath.filter(({ pattern }) => pattern.test(pathname));
      matches.sort(
        (a, b) => (a.specPath.match(/\{/g)?.length ?? 0) - (b.specPath.match(/\{/g)?.length ?? 0),
      );
      for (const { specPath } of matches) {
        const found = (spec.paths as Record<string, Json>)[specPath]?.[lower] as Json | undefined;
        if (found) return String(found.operationId);
      }
      return null;
    },

    operation(method, specPath) {
      const lower = method.toLowerCase();
      const found = (spec.paths as Record<string, Json | undefined>)[specPath]?.[lower] as
        Json | undefined;
      if (!found) throw new Error(`github stand-in: the description has no ${method} ${specPath}`);
      const operation: Operation = {
        operationId: String(found.operationId),
        method: lower,
        specPath,
        pattern: /^$/,
        paramNames: [],
        docsUrl: String(
          (found.externalDocs as Json | undefined)?.url ?? "https://docs.github.com/rest",
        ),
      };
      const multiSegment = new Set(
        parameters(operation)
          .filter(({ node }) => node.in === "path" && node["x-multi-segment"] === true)
          .map(({ node }) => String(node.name)),
      );
      const source = specPath
        .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
        .replace(/\{(\w+)\}/g, (_, name: string) => {
          operation.paramNames.push(name);
          return multiSegment.has(name) ? "(.+)" : "([^/]+)";
        });
      operation.pattern = new RegExp(`^${source}$`);
      return operation;
    },

    checkRequest(operation, input) {
      const problems: string[] = [];
      const known = new Set<string>();
      for (const { at, node } of parameters(operation)) {
        const name = String(node.name);
        if (node.in === "header") continue;
        if (node.in === "query") known.add(name);
        const raw = node.in === "path" ? input.params[name] : (input.query.get(name) ?? undefined);
        if (raw === undefined) {
          if (node.required === true) problems.push(`${node.in} parameter "${name}" is required`);
          continue;
        }
        const schema = node.schema as Json | undefined;
        if (!schema) continue;
        const problem = check([...at, "schema"], coerceParam(raw, schema));
        if (problem) problems.push(`${node.in} parameter "${name}": ${problem}`);
      }
      for (const name of new Set(input.query.keys()))
        if (!known.has(name)) problems.push(`query parameter "${name}" is not in the description`);

      const requestBody = locate(spec, operationAt(operation)).node.requestBody as Json | undefined;
      if (!requestBody) {
        if (input.body !== undefined) problems.push("this operation takes no request body");
        return problems;
      }
      if (input.body === undefined) {
        if (requestBody.required === true) problems.push("the request body is required");
        return problems;
      }
      const at = [
        ...operationAt(operation),
        "requestBody",
        "content",
        "application/json",
        "schema",
      ];
      const problem = check(at, input.body);
      if (problem) problems.push(`request body: ${problem}`);
      // GitHub ignores body fields it does not know; a client that sends one has a bug.
      const { node: schema } = locate(spec, at);
      if (
        schema.properties &&
        typeof input.body === "object" &&
        input.body !== null &&
        !Array.isArray(input.body)
      )
        for (const field of Object.keys(input.body))
          if (!(field in (schema.properties as Json)))
            problems.push(`request body field "${field}" is not in the description`);
      return problems;
    },

    checkResponse(operation, status, body) {
      const responses = locate(spec, [...operationAt(operation), "responses"]).node;
      const key =
        String(status) in responses ? String(status) : "default" in responses ? "default" : null;
      if (key === null) {
        // The description lists only some error statuses per operation; GitHub answers any error in
        // the basic error shape.
        if (status < 400)
          return [`status ${status} is not documented for ${operation.operationId}`];
        const problem = check(["components", "schemas", "basic-error"], body);
        return problem ? [`error body: ${problem}`] : [];
      }
      const response = locate(spec, [...operationAt(operation), "responses", key]);
      const content = response.node.content as Json | undefined;
      if (!content?.["application/json"]) {
        return body === undefined
          ? []
          : [`status ${status} of ${operation.operationId} has no body`];
      }
      const problem = check([...response.at, "content", "application/json", "schema"], body);
      return problem ? [`status ${status} body: ${problem}`] : [];
    },

    checkWebhook(event, action, payload) {
      const name = [event, action].filter(Boolean).join("-").replaceAll("_", "-");
      const hooks = spec["x-webhooks"] as Record<string, unknown>;
      if (!(name in hooks)) return [`the description has no webhook "${name}"`];
      const problem = check(
        ["x-webhooks", name, "post", "requestBody", "content", "application/json", "schema"],
        payload,
      );
      return problem ? [`webhook ${name} payload: ${problem}`] : [];
    },
  };
}

let loading: Promise<Description> | null = null;

/** The description, read and prepared once per process (about a second: the file is 13 MB). */
export function loadDescription(): Promise<Description> {
  loading ??= readFile(createRequire(import.meta.url).resolve(SPEC_FILE), "utf8").then((text) =>
    build(JSON.parse(text) as Json),
  );
  return loading;
}
