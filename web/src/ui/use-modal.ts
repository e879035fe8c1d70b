// Opens and closes a native <dialog> as a modal to follow an `open` flag.
import { useEffect, useRef, type RefObject } from "react";

/** The ref to put on the <dialog>; it is shown as a modal while `open` is true. */
export function useModal(open: boolean): RefObject<HTMLDialogElement | null> {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return dialog;
}
