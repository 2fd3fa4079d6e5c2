"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { Card, CardBody } from "@/components/ui/card";
import { Tabs } from "../tabs";
import { ImportForm } from "./import-form";
import { ScratchForm } from "./scratch-form";
import { VersionForm, type VersionSource } from "./version-form";

type TabKey = "import" | "scratch" | "version";

export function CreateApiTabs({ sources, maxBytesLabel }: { sources: VersionSource[]; maxBytesLabel: string }) {
  const router = useRouter();
  const params = useSearchParams();
  const requested = params.get("tab");
  const active: TabKey = requested === "scratch" || requested === "version" ? requested : "import";
  return (
    <Card>
      <CardBody>
        <Tabs
          label="How to create the API"
          active={active}
          onChange={(key) =>
            router.replace(`/publisher/apis/new?tab=${key}${params.get("from") ? `&from=${params.get("from")}` : ""}`, { scroll: false })
          }
          items={[
            { key: "import", label: "Import OpenAPI", content: <ImportForm maxBytesLabel={maxBytesLabel} /> },
            { key: "scratch", label: "Start from scratch", content: <ScratchForm /> },
            {
              key: "version",
              label: "New version of an API",
              content: <VersionForm sources={sources} selected={params.get("from") ?? undefined} />,
            },
          ]}
        />
      </CardBody>
    </Card>
  );
}
