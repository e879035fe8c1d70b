// A top-bar link that marks itself as the current page while any path under it is shown.
import { Link } from "../router/link.tsx";
import { usePathname } from "../router/router.ts";

/** An in-app link with aria-current="page" on its own section. */
export function NavLink({ href, children }: { href: string; children: string }) {
  const path = usePathname();
  const current = path === href || path.startsWith(`${href}/`);
  return (
    <Link href={href} className="app-nav-link" aria-current={current ? "page" : undefined}>
      {children}
    </Link>
  );
}
