import { afterEach, describe, expect, it, vi } from "vitest";
import { sellerMessages } from "../messages";
import { submitGatewayForm } from "./Plan";

afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = "";
});

describe("the Pro checkout", () => {
  it("posts the gateway's fields as a real form, each a hidden input", () => {
    const submit = vi.spyOn(HTMLFormElement.prototype, "submit").mockImplementation(() => undefined);
    submitGatewayForm({
      method: "POST",
      action: "https://sandbox.jazzcash.com.pk/CustomerPortal/transactionmanagement/merchantform/",
      fields: { pp_Amount: "250000", pp_TxnRefNo: "SP26122015000012345", pp_Description: `Shop "A" & <B>` },
    });
    expect(submit).toHaveBeenCalledOnce();
    const submitted = submit.mock.contexts[0] as HTMLFormElement;
    expect(submitted.method).toBe("post");
    expect(submitted.action).toBe("https://sandbox.jazzcash.com.pk/CustomerPortal/transactionmanagement/merchantform/");
    const inputs = [...submitted.querySelectorAll("input")];
    expect(inputs.map((i) => [i.type, i.name, i.value])).toEqual([
      ["hidden", "pp_Amount", "250000"],
      ["hidden", "pp_TxnRefNo", "SP26122015000012345"],
      ["hidden", "pp_Description", `Shop "A" & <B>`],
    ]);
  });

  it("has every plan word in Urdu too", () => {
    const en = Object.keys(sellerMessages.en!).filter((k) => k.startsWith("plan."));
    const ur = new Set(Object.keys(sellerMessages.ur!));
    expect(en.length).toBeGreaterThan(20);
    expect(en.filter((k) => !ur.has(k))).toEqual([]);
  });
});
