"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, Td, Th } from "@/components/ui/table";
import { useActionForm } from "@/components/shared/use-action-form";
import { updateUserAction } from "@/lib/actions/admin/update-user";
import { ROLES, type Role } from "@/lib/auth/permissions";
import type { PublicUser } from "@/lib/services/users/user-dto";
import { formatDateTime } from "@/lib/domain/datetime";

export function UsersTable({ users: initial, currentUserId }: { users: PublicUser[]; currentUserId: string }) {
  const router = useRouter();
  const update = useActionForm(updateUserAction);
  // Rows update at once and are replaced by the server's answer (or restored on failure).
  const [users, setUsers] = useState(initial);
  const [lastInitial, setLastInitial] = useState(initial);
  if (initial !== lastInitial) {
    setLastInitial(initial);
    setUsers(initial);
  }
  const replace = (user: PublicUser) => setUsers((list) => list.map((u) => (u.id === user.id ? user : u)));

  async function change(user: PublicUser, patch: { roles?: Role[]; disabled?: boolean }, message: string) {
    replace({ ...user, ...patch });
    const saved = await update.run({ id: user.id, patch });
    replace(saved ?? user);
    if (saved) {
      toast.success(message);
      router.refresh();
    }
  }

  function toggleRole(user: PublicUser, role: Role) {
    const roles = user.roles.includes(role) ? user.roles.filter((r) => r !== role) : [...user.roles, role];
    return change(user, { roles }, `Roles of ${user.email} updated`);
  }

  function toggleDisabled(user: PublicUser) {
    if (!user.disabled && !window.confirm(`Disable ${user.email}? They are signed out of every portal and their tokens stop working.`))
      return;
    return change(user, { disabled: !user.disabled }, `${user.email} ${user.disabled ? "enabled" : "disabled"}`);
  }

  if (users.length === 0)
    return <p className="px-4 py-8 text-center text-sm text-slate-600 dark:text-slate-400">No user matches this search.</p>;
  return (
    <Table>
      <thead>
        <tr>
          <Th>User</Th>
          <Th>Roles</Th>
          <Th>Status</Th>
          <Th>Last sign-in</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </thead>
      <tbody>
        {users.map((u) => (
          <tr key={u.id} data-testid={`user-row-${u.email}`}>
            <Td>
              <div className="font-medium">{u.email}</div>
              <div className="text-xs text-slate-600 dark:text-slate-400">{u.name}</div>
            </Td>
            <Td>
              <div className="flex gap-3">
                {ROLES.map((r) => (
                  <label key={r} className="flex items-center gap-1 text-xs">
                    <input
                      type="checkbox"
                      checked={u.roles.includes(r)}
                      onChange={() => toggleRole(u, r)}
                      aria-label={`${r} role for ${u.email}`}
                    />
                    {r}
                  </label>
                ))}
              </div>
            </Td>
            <Td>
              {u.disabled ? (
                <Badge tone="red">disabled</Badge>
              ) : u.invited ? (
                <Badge tone="amber">invited</Badge>
              ) : (
                <Badge tone="green">active</Badge>
              )}
            </Td>
            <Td className="text-xs">{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : "Never"}</Td>
            <Td className="text-right">
              {u.id !== currentUserId && (
                <Button
                  variant={u.disabled ? "secondary" : "danger-outline"}
                  size="sm"
                  onClick={() => toggleDisabled(u)}
                  disabled={update.pending}
                >
                  {u.disabled ? "Enable" : "Disable"}
                </Button>
              )}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
