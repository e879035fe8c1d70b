// Which sign-in methods the server offers, asked once when the sign-in page opens.
import { useEffect, useState } from "react";
import type { AuthProviders } from "../../../protocol/api.ts";
import { fetchProviders } from "../api/auth.ts";

/** The providers, or null until the server has answered. */
export function useProviders(): AuthProviders | null {
  const [providers, setProviders] = useState<AuthProviders | null>(null);
  useEffect(() => {
    let current = true;
    void fetchProviders().then((answer) => current && setProviders(answer));
    return () => {
      current = false;
    };
  }, []);
  return providers;
}
