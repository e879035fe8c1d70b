// The owner's form for a session's model and spend limit; only what changed is sent.
import { useState, type FormEvent } from "react";
import type { SessionSettingsBody } from "../../../protocol/api.ts";
import { updateSessionSettings } from "../api/session-settings.ts";
import { FormActions } from "../ui/form-actions.tsx";
import { useAction } from "../ui/use-action.ts";
import { ModelField } from "./model-field.tsx";
import { modelOf, pickFor } from "./models.ts";
import { parseSpendLimit, spendLimitText } from "./spend-limit.ts";
import { SpendLimitField } from "./spend-limit-field.tsx";

/** Props of SettingsForm. */
export interface SettingsFormProps {
  sessionId: string;
  model: string;
  spendLimitUsd: number | null;
  onDone: () => void;
}

/** Edits the settings and saves them with one PATCH. */
export function SettingsForm({ sessionId, model, spendLimitUsd, onDone }: SettingsFormProps) {
  const [pick, setPick] = useState(() => pickFor(model));
  const [limit, setLimit] = useState(() => spendLimitText(spendLimitUsd));
  const [checked, setChecked] = useState(false);
  const { busy, error, run } = useAction();
  const chosen = modelOf(pick);
  const parsedLimit = parseSpendLimit(limit);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (!chosen.ok || !parsedLimit.ok) return;
    const body: SessionSettingsBody = {
      ...(chosen.model !== model ? { model: chosen.model } : {}),
      ...(parsedLimit.usd !== spendLimitUsd ? { spendLimitUsd: parsedLimit.usd } : {}),
    };
    if (body.model === undefined && body.spendLimitUsd === undefined) return onDone();
    await run(
      async () => {
        await updateSessionSettings(sessionId, body);
        onDone();
      },
      { keepBusy: true },
    );
  };

  return (
    <form className="settings-form" onSubmit={submit} noValidate>
      <ModelField
        id="settings-model"
        pick={pick}
        onChange={setPick}
        problem={checked && !chosen.ok ? chosen.problem : null}
      />
      <SpendLimitField
        id="settings-limit"
        value={limit}
        onChange={setLimit}
        problem={checked && !parsedLimit.ok ? parsedLimit.problem : null}
      />
      <p className="field-hint muted">
        A running turn keeps its settings; the next one uses these.
      </p>
      <FormActions
        error={error}
        busy={busy}
        submitLabel="Save settings"
        busyLabel="Saving…"
        onCancel={onDone}
      />
    </form>
  );
}
