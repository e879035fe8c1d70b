// Giving the model stand-in a named script over its control API, from Node or from inside workerd.
import type { ScriptInput } from "../model-stand-in/script.ts";

/** PUTs `script` under `name`; a prompt carrying `[script:NAME]` then gets its answers. */
export function putModelScript(
  baseUrl: string,
  name: string,
  script: ScriptInput,
): Promise<Response> {
  return fetch(`${baseUrl}/_stand-in/scripts/${encodeURIComponent(name)}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(script),
    signal: AbortSignal.timeout(5_000),
  });
}
