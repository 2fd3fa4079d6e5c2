import type { ComponentProps } from "react";
import { cn } from "./cn";
import { ScrollRegion } from "./scroll-region";

export function Table({ className, ...props }: ComponentProps<"table">) {
  return (
    <ScrollRegion label={props["aria-label"]}>
      <table className={cn("w-full text-left text-sm", className)} {...props} />
    </ScrollRegion>
  );
}
export function Th({ className, ...props }: ComponentProps<"th">) {
  return (
    <th
      scope="col"
      className={cn(
        "border-b border-slate-200 px-3 py-2 text-xs font-semibold sm:px-4 tracking-wide text-slate-600 dark:text-slate-400 uppercase dark:border-slate-800",
        className,
      )}
      {...props}
    />
  );
}
export function Td({ className, ...props }: ComponentProps<"td">) {
  return <td className={cn("border-b border-slate-100 px-3 py-3 align-middle sm:px-4 dark:border-slate-800/60", className)} {...props} />;
}
