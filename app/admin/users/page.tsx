import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { Card } from "@/components/ui/card";
import { CreateUserForm } from "@/components/admin/create-user-form";
import { UsersTable } from "@/components/admin/users-table";
import { requirePageActor } from "@/lib/auth/guards";
import { listUsers } from "@/lib/services/users/list-users";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({ searchParams }: { searchParams: Promise<{ q?: string; page?: string }> }) {
  const actor = await requirePageActor("users:read");
  const { q, page } = await searchParams;
  const result = await listUsers({ q: q || undefined, page: Number(page) || 1, pageSize: 25 }, { actor });
  return (
    <>
      <PageHeader title="Users" description="Create users or invite them by link, assign roles, and disable accounts." />
      <div className="space-y-6">
        <CreateUserForm />
        <Card>
          <form className="flex gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-800" role="search">
            <label htmlFor="user-search" className="sr-only">
              Search users
            </label>
            <input
              id="user-search"
              name="q"
              defaultValue={q}
              placeholder="Search by email or name"
              className="w-full max-w-sm rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
            />
          </form>
          <UsersTable users={result.items} currentUserId={actor.id} />
          <Pagination page={result.page} pageSize={result.pageSize} total={result.total} basePath="/admin/users" query={{ q }} />
        </Card>
      </div>
    </>
  );
}
