import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { App as AntApp } from "antd";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import "../i18n";
import { session } from "../api/client";
import { DownloadButton } from "./DownloadButton";

const NAME = "2019年驻村工作年报-西藏自治区财政厅.csv";
const DISPOSITION = `attachment; filename="report.csv"; filename*=UTF-8''${encodeURIComponent(NAME)}`;

function renderButton() {
  render(
    <AntApp>
      <DownloadButton path="/api/v1/ledger" query={{ year: 2019, village_id: undefined }} format="csv" fallbackName="ledger.csv" />
    </AntApp>,
  );
  return screen.getByTestId("download-csv");
}

describe("DownloadButton", () => {
  let saved: { name: string; size: number }[];
  beforeEach(() => {
    saved = [];
    let lastBlob: Blob | null = null;
    URL.createObjectURL = vi.fn((blob: Blob) => {
      lastBlob = blob;
      return "blob:test";
    }) as typeof URL.createObjectURL;
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, size: lastBlob?.size ?? -1 });
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it("says a refused export in Chinese and saves nothing", async () => {
    const fetch = vi.spyOn(session, "fetch").mockResolvedValue(
      new Response(JSON.stringify({ type: "https://zhucun.example/problems/export-too-large", status: 422, code: "export_too_large", params: { max_rows: 100000 } }), {
        status: 422,
        headers: { "Content-Type": "application/problem+json" },
      }),
    );
    fireEvent.click(renderButton());
    await waitFor(() => expect(screen.getByTestId("download-csv-status").textContent).toBe("Excel 文件最多 100000 行，请缩小筛选范围或下载 CSV"));
    expect(new URL(fetch.mock.calls[0]![0].url).search).toBe("?year=2019&format=csv");
    expect(saved).toEqual([]);
  });

  it("shows rows received while a long export streams, then saves it under the server's name", async () => {
    const encoder = new TextEncoder();
    let push: (text: string | null) => void = () => undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => (text === null ? controller.close() : controller.enqueue(encoder.encode(text)));
      },
    });
    vi.spyOn(session, "fetch").mockResolvedValue(new Response(body, { status: 200, headers: { "Content-Type": "text/csv", "Content-Disposition": DISPOSITION } }));
    const button = renderButton();
    fireEvent.click(button);
    await act(async () => push("\ufeff编号,日期\n1,2019-01-01\n"));
    await new Promise((r) => setTimeout(r, 700));
    await act(async () => push("2,2019-01-02\n"));
    await waitFor(() => expect(button.textContent).toMatch(/已接收 2 行（\d+ B）/));
    expect(saved).toEqual([]);
    await act(async () => push(null));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]!.name).toBe(NAME);
    expect(saved[0]!.size).toBe(encoder.encode("\ufeff编号,日期\n1,2019-01-01\n2,2019-01-02\n").byteLength);
    await waitFor(() => expect(screen.getByTestId("download-csv-status").textContent).toMatch(/^已下载 2019年驻村工作年报/));
  });

  it("says a broken link instead of stopping silently", async () => {
    vi.spyOn(session, "fetch").mockRejectedValue(new TypeError("Failed to fetch"));
    fireEvent.click(renderButton());
    await waitFor(() => expect(screen.getByTestId("download-csv-status").textContent).toMatch(/^下载失败/));
    expect(saved).toEqual([]);
  });
});
