import { describe, expect, it } from "vitest";
import { checkVote } from "./api";

describe("the vote check (the server's arithmetic)", () => {
  it("step 3 at its boundaries", () => {
    expect(checkVote(3, 30, 20, 11)?.passed).toBe(true); // exactly ⅔ present
    expect(checkVote(3, 30, 19, 19)?.quorate).toBe(false); // one short
    expect(checkVote(3, 30, 20, 10)?.majority).toBe(false); // a tie
    expect(checkVote(3, 10, 7, 4)?.passed).toBe(true);
    expect(checkVote(3, 10, 6, 6)?.quorate).toBe(false);
    expect(checkVote(3, 30, 20, 11)?.needed).toBe(20);
    expect(checkVote(3, 30, 21, 0)?.favourNeeded).toBe(11);
  });
  it("step 4 with the department's quorum", () => {
    expect(checkVote(4, 120, 60, 31)?.passed).toBe(true);
    expect(checkVote(4, 120, 59, 59)?.quorate).toBe(false);
    expect(checkVote(4, 100, 66, 60, 67)?.quorate).toBe(false);
    expect(checkVote(4, 100, 67, 60, 67)?.quorate).toBe(true);
  });
  it("nothing to say for other steps or missing numbers", () => {
    expect(checkVote(2, 9, 9, 9)).toBeNull();
    expect(checkVote(3, 30, undefined, 11)).toBeNull();
    expect(checkVote(3, 0, 0, 0)).toBeNull();
  });
});
