// An anchor that navigates inside the app, leaving modified clicks (new tab, etc.) to the browser.
import type { AnchorHTMLAttributes, MouseEvent } from "react";
import { navigate } from "./router.ts";

/** Props of Link: an anchor whose `href` is an in-app path. */
export type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string };

/** An in-app link. */
export function Link({ href, onClick, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handleClick} {...rest} />;
}
