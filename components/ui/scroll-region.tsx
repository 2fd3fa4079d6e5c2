"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";

/**
 * A box that scrolls sideways when its content is wider than the screen (a table on a phone).
 * Keyboard users must be able to scroll it too, so it joins the tab order, named after its
 * content, but only while it does overflow: a table that fits adds no tab stop. It is the
 * containing block of what is positioned inside (screen-reader-only text is absolutely
 * positioned): otherwise such text past the box's edge would widen the whole page.
 */
export function ScrollRegion({ label, children }: { label?: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollable, setScrollable] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setScrollable(el.scrollWidth > el.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return (
    <div
      ref={ref}
      className="relative overflow-x-auto"
      {...(scrollable ? { tabIndex: 0, role: "region", "aria-label": label ?? "Table" } : {})}
    >
      {children}
    </div>
  );
}
