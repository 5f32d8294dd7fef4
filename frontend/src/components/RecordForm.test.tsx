import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { App as AntApp, Form, Input } from "antd";
import { beforeEach, describe, expect, it, vi } from "vitest";
import "../i18n";
import { ApiError, NetworkError } from "../api/client";
import { RecordForm, type SaveHeaders } from "./RecordForm";

interface Values {
  name: string;
}

function renderForm(save: (values: Values, headers: SaveHeaders) => Promise<Values>, etag?: string) {
  const onSaved = vi.fn();
  const onReload = vi.fn(async () => undefined);
  render(
    <AntApp>
      <RecordForm<Values, Values>
        draftKey="test.form"
        fields={["name"]}
        initialValues={{ name: "马格达村" }}
        etag={etag}
        onReload={onReload}
        save={save}
        onSaved={onSaved}
      >
        <Form.Item name="name" label="name">
          <Input data-testid="name" />
        </Form.Item>
      </RecordForm>
    </AntApp>,
  );
  return { onSaved, onReload };
}

const input = () => screen.getByTestId("name") as HTMLInputElement;
const submit = () => fireEvent.click(screen.getByTestId("form-save"));

describe("RecordForm", () => {
  beforeEach(() => window.sessionStorage.clear());

  it("shows the server's field messages next to the field", async () => {
    renderForm(async () => {
      throw new ApiError(422, {
        type: "https://zhucun.example/problems/validation",
        status: 422,
        errors: [{ field: "name", message: "名称已存在" }],
      });
    });
    submit();
    expect(await screen.findByText("名称已存在")).toBeTruthy();
    expect(screen.queryByTestId("form-error")).toBeNull();
  });

  it("explains a 412 as a change by someone else and offers a reload", async () => {
    const save = vi.fn(async (_values: Values, _headers: SaveHeaders): Promise<Values> => {
      throw new ApiError(412, { type: "https://zhucun.example/problems/precondition-failed", status: 412 });
    });
    const { onReload } = renderForm(save, '"3"');
    submit();
    expect(await screen.findByText("该记录已被他人修改")).toBeTruthy();
    expect(save.mock.calls[0]![1].ifMatch).toBe('"3"');
    fireEvent.click(screen.getByTestId("form-reload"));
    await waitFor(() => expect(onReload).toHaveBeenCalledOnce());
  });

  it("keeps the input on a network failure and retries with the same Idempotency-Key", async () => {
    const keys: string[] = [];
    let fail = true;
    const { onSaved } = renderForm(async (values, headers) => {
      keys.push(headers.idempotencyKey);
      if (fail) {
        fail = false;
        throw new NetworkError(new TypeError("Failed to fetch"));
      }
      return values;
    });
    fireEvent.change(input(), { target: { value: "新村" } });
    submit();
    expect(await screen.findByTestId("form-network")).toBeTruthy();
    expect(input().value).toBe("新村");
    expect(JSON.parse(window.sessionStorage.getItem("zhucun.draft.test.form")!).values.name).toBe("新村");
    submit();
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith({ name: "新村" }));
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(window.sessionStorage.getItem("zhucun.draft.test.form")).toBeNull();
  });

  it("restores a draft left by an earlier page load", async () => {
    window.sessionStorage.setItem("zhucun.draft.test.form", JSON.stringify({ values: { name: "草稿" } }));
    renderForm(async (v) => v);
    expect(input().value).toBe("草稿");
    expect(screen.getByTestId("draft-restored")).toBeTruthy();
  });
});
