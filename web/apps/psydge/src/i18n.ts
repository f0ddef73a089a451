// The panel's translator: the shared catalog plus each area's own messages.
import { makeTranslator, sharedMessages } from "@alorig/ui";
import { shellMessages } from "./shell/messages";
import { marketMessages } from "./market/messages";
import { tradeMessages } from "./trade/messages";
import { reviewMessages } from "./review/messages";
import { aiMessages } from "./ai/messages";

export const { t, useT } = makeTranslator(sharedMessages, shellMessages, marketMessages, tradeMessages, reviewMessages, aiMessages);
