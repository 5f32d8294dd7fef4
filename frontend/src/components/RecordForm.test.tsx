import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { App as AntApp, Form, Input } from "antd";
import { MemoryRouter } from "react-router-dom";
import { beforeEach, describe, expect, it, vi } from "vitest";
import "../i18n";
import type { ApiError } from "../api/client";
import type { OutboxRequest, SubmitResult } from "../lib/outbox";
import { conflictDiff, RecordForm, type CurrentRecord } from "./RecordForm";

interface Values {
  name: string;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

function renderForm(
  reply: (request: OutboxRequest) => SubmitResult | Promise<SubmitResult>,
  options: {
    etag?: string;
    loadCurrent?: () => Promise<CurrentRecord<Values>>;
    onQueued?: () => void;
    onRefused?: (error: ApiError) => string[] | undefined;
  } = {},
) {
  const onSaved = vi.fn();
  const onReload = vi.fn(async () => undefined);
  const requests: OutboxRequest[] = [];
  render(
    <MemoryRouter>
      <AntApp>
        <RecordForm<Values, Values>
          draftKey="test.form"
          fields={["name"]}
          initialValues={{ name: "马格达村" }}
          etag={options.etag}
          onReload={onReload}
          loadCurrent={options.loadCurrent}
          onQueued={options.onQueued}
          onRefused={options.onRefused}
          resource="villages"
          label={(v) => v.name}
          request={(values, headers) =>
            options.etag
              ? { method: "PATCH", path: "/api/v1/villages/1", body: values, ifMatch: headers.ifMatch }
              : { method: "POST", path: "/api/v1/villages", body: values, idempotencyKey: headers.idempotencyKey }
          }
          outbox={{
            submit: async (request) => {
              requests.push(request);
              return reply(request);
            },
          }}
          onSaved={onSaved}
        >
          <Form.Item name="name" label="name">
            <Input data-testid="name" />
          </Form.Item>
        </RecordForm>
      </AntApp>
    </MemoryRouter>,
  );
  return { onSaved, onReload, requests };
}

const input = () => screen.getByTestId("name") as HTMLInputElement;
const submit = () => fireEvent.click(screen.getByTestId("form-save"));

describe("RecordForm", () => {
  beforeEach(() => window.sessionStorage.clear());

  it("shows the server's field messages next to the field, translated by code", async () => {
    renderForm(() => ({
      kind: "sent",
      response: json(422, {
        type: "https://zhucun.example/problems/validation",
        status: 422,
        code: "validation",
        errors: [{ field: "name", message: "must be 6 to 12 digits", code: "digits", params: { min: "6", max: "12" } }],
      }),
    }));
    submit();
    expect(await screen.findByText("须为 6 到 12 位数字")).toBeTruthy();
    expect(screen.queryByTestId("form-error")).toBeNull();
  });

  it("lets the page word a refusal itself (a 409 naming statuses), and maps the rest as before", async () => {
    const onRefused = vi.fn((error: ApiError) => (error.status === 409 ? ["这一诉求已被他人办结"] : undefined));
    renderForm(() => ({ kind: "sent", response: json(409, { status: 409, code: "illegal_transition", params: { allowed: "" } }) }), { onRefused });
    submit();
    expect(await screen.findByText("这一诉求已被他人办结")).toBeTruthy();
    expect(onRefused).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId("form-error")).toBeTruthy();
  });

  it("falls back to the English message for a code it does not know", async () => {
    renderForm(() => ({
      kind: "sent",
      response: json(422, { status: 422, errors: [{ field: "name", message: "is odd", code: "some_new_rule" }] }),
    }));
    submit();
    expect(await screen.findByText("is odd")).toBeTruthy();
  });

  it("on a 412 shows what the other person changed and can keep the user's values with the new ETag", async () => {
    let first = true;
    const { requests, onSaved } = renderForm(
      () => {
        if (first) {
          first = false;
          return { kind: "sent", response: json(412, { status: 412, code: "precondition_failed" }) };
        }
        return { kind: "sent", response: json(200, { name: "我的村名" }) };
      },
      { etag: '"3"', loadCurrent: async () => ({ values: { name: "他人村名" }, etag: '"4"' }) },
    );
    fireEvent.change(input(), { target: { value: "我的村名" } });
    submit();
    expect(await screen.findByText("该记录已被他人修改")).toBeTruthy();
    expect(await screen.findByText("他人村名")).toBeTruthy();
    expect(requests[0]!.ifMatch).toBe('"3"');
    fireEvent.click(screen.getByTestId("form-keep-mine"));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith({ name: "我的村名" }));
    expect(requests[1]!.ifMatch).toBe('"4"');
  });

  it("a 412 can also take their version (reload)", async () => {
    const { onReload } = renderForm(() => ({ kind: "sent", response: json(412, { status: 412 }) }), { etag: '"3"' });
    submit();
    await screen.findByTestId("form-conflict");
    fireEvent.click(screen.getByTestId("form-reload"));
    await waitFor(() => expect(onReload).toHaveBeenCalledOnce());
  });

  it("without a connection the create is queued with its Idempotency-Key and the draft is cleared", async () => {
    const { requests } = renderForm((request) => ({
      kind: "queued",
      item: { ...request, id: "1", resource: "villages", label: "x", createdAt: 0, attempts: 1, state: "waiting", nextAttemptAt: 0 },
    }));
    fireEvent.change(input(), { target: { value: "新村" } });
    submit();
    expect(await screen.findByTestId("form-queued")).toBeTruthy();
    expect(requests[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(requests[0]!.body).toEqual({ name: "新村" });
    expect(window.sessionStorage.getItem("zhucun.draft.test.form")).toBeNull();
  });

  it("sends one create however often save is pressed, and a repeat after success reuses its key", async () => {
    let answer: (result: SubmitResult) => void = () => undefined;
    const { onSaved, requests } = renderForm(
      () => new Promise<SubmitResult>((resolve) => (answer = resolve)),
    );
    submit();
    await waitFor(() => expect(requests).toHaveLength(1));
    submit();
    submit();
    answer({ kind: "sent", response: json(201, { name: "马格达村" }) });
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(requests).toHaveLength(1);
    // Pressed again before the page moved on: the same key, so the server replays its answer.
    submit();
    await waitFor(() => expect(requests).toHaveLength(2));
    expect(requests[1]!.idempotencyKey).toBe(requests[0]!.idempotencyKey);
    // Changed values are a new record: a new key.
    fireEvent.change(input(), { target: { value: "曲水村" } });
    answer({ kind: "sent", response: json(201, { name: "马格达村" }) });
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(2));
    submit();
    await waitFor(() => expect(requests).toHaveLength(3));
    expect(requests[2]!.idempotencyKey).not.toBe(requests[0]!.idempotencyKey);
  });

  it("restores a draft left by an earlier page load", async () => {
    window.sessionStorage.setItem("zhucun.draft.test.form", JSON.stringify({ values: { name: "草稿" } }));
    renderForm(() => ({ kind: "sent", response: json(200, {}) }));
    expect(input().value).toBe("草稿");
    expect(screen.getByTestId("draft-restored")).toBeTruthy();
  });
});

describe("conflictDiff", () => {
  it("lists the fields the other person changed, with both values", () => {
    expect(
      conflictDiff(["name", "code", "county"], { name: "a", code: "", county: "x" }, { name: "b", code: null, county: "x" }, { name: "c", code: "1", county: "y" }),
    ).toEqual([{ field: "name", theirs: "b", yours: "c" }]);
  });
});
