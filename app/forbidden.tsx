import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

export default function Forbidden() {
  return (
    <main className="mx-auto flex min-h-[70vh] max-w-lg flex-col items-center justify-center px-4 text-center">
      <p className="text-sm font-semibold text-brand-600 dark:text-brand-100">403</p>
      <h1 className="mt-2 text-2xl font-semibold">You do not have access to this page</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
        Your roles do not include this portal or action. Ask an administrator if you need it.
      </p>
      <Link href="/" className={buttonClass("secondary", "md", "mt-6")}>
        Back to the developer portal
      </Link>
    </main>
  );
}
