import {
  defineTemplate,
  type TemplateContext,
  type TemplateVars,
} from "../../functions/core/journey/template.ts";
import { formatData, formatMoney } from "./format.ts";
import { links } from "./links.ts";

/**
 * `data-usage.alert`: one template for the three recommendations, so the notification record
 * always names the same template. Every variant states what extra data costs; only `upgrade`
 * suggests a plan, and that variant goes out as marketing (consent, caps, ad marking).
 */

type Locale = "en-US" | "ko-KR";

/** The figures a message can state; anything missing or malformed is left out rather than misprinted. */
interface Figures {
  usedPercent?: number;
  daysLeft?: number;
  projectedUsageMb?: number;
  projectedOverageMb?: number;
  price?: string;
  cost?: string;
  saving?: string;
  recommendation: "none" | "stay" | "upgrade";
  link?: string;
}

function figures(v: TemplateVars, locale: Locale, context: TemplateContext): Figures {
  const currency = typeof v.currency === "string" && /^[A-Z]{3}$/.test(v.currency) ? v.currency : undefined;
  const money = (value: unknown) =>
    currency && num(value) !== undefined ? formatMoney(num(value)!, currency, locale) : undefined;
  const recommendation =
    v.recommendation === "stay" || v.recommendation === "upgrade" ? v.recommendation : "none";
  const planId = typeof v.upgradePlanId === "string" && v.upgradePlanId !== "" ? v.upgradePlanId : undefined;
  return {
    usedPercent: num(v.usedPercent),
    daysLeft: num(v.daysLeft),
    projectedUsageMb: num(v.projectedUsageMb),
    projectedOverageMb: num(v.projectedOverageMb),
    price: money(v.overagePricePerGb),
    cost: money(v.projectedOverageCost),
    saving: money(v.monthlySaving),
    recommendation,
    link: planId ? links(context).plan(planId) : undefined,
  };
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

const goesOver = (f: Figures) => f.projectedOverageMb !== undefined && f.projectedOverageMb > 0;

// en-US ---------------------------------------------------------------------------------------

const enDays = (days: number) => `${days} day${days === 1 ? "" : "s"}`;

function enHeadline(f: Figures): string {
  const share =
    f.usedPercent !== undefined ? `${f.usedPercent}% of your data allowance` : "most of your data";
  const left = f.daysLeft !== undefined ? ` with ${enDays(f.daysLeft)} to go` : "";
  return `You've used ${share}${left}.`;
}

function enProjectionSms(f: Figures): string {
  if (goesOver(f)) {
    const usage = f.projectedUsageMb !== undefined ? `about ${formatData(f.projectedUsageMb)}, ` : "";
    const cost =
      f.cost && f.price ? `: about ${f.cost} at ${f.price}/GB` : f.price ? ` at ${f.price}/GB` : "";
    const over = formatData(f.projectedOverageMb!);
    return ` At this pace you'll use ${usage}${over} over your allowance${cost}.`;
  }
  const price = f.price ? ` Extra data would cost ${f.price}/GB.` : "";
  return ` At this pace you'll stay within your allowance.${price}`;
}

function enAdviceSms(f: Figures): string {
  switch (f.recommendation) {
    case "none":
      return "";
    case "stay":
      return " No need to change your plan.";
    case "upgrade": {
      const saving = f.saving ? `would save you about ${f.saving} a month` : "could save you money";
      const link = f.link ? ` ${f.link}` : "";
      return ` You've gone over in recent months: a plan with more data ${saving}.${link}`;
    }
  }
}

function enEmailBody(f: Figures): string {
  const share =
    f.usedPercent !== undefined
      ? `${f.usedPercent}% of the data in your plan`
      : "most of the data in your plan";
  const left = f.daysLeft !== undefined ? `, with ${enDays(f.daysLeft)} left in this billing period` : "";
  const paragraphs = ["Hello,", `You've used ${share}${left}.`];
  if (goesOver(f)) {
    const usage =
      f.projectedUsageMb !== undefined
        ? `about ${formatData(f.projectedUsageMb)} by the end of the period, `
        : "";
    const price = f.price ? ` Extra data costs ${f.price} per GB` : "";
    const cost = f.cost ? `${price ? ", so that" : " That"} would add about ${f.cost} to your bill` : "";
    paragraphs.push(
      `At your current pace you'll use ${usage}about ${formatData(f.projectedOverageMb!)} more than your ` +
        `allowance.${price}${cost}${price || cost ? "." : ""}`,
    );
  } else {
    const price = f.price ? ` If you do go over, extra data costs ${f.price} per GB.` : "";
    paragraphs.push(`At your current pace you'll stay within your allowance.${price}`);
  }
  switch (f.recommendation) {
    case "none":
      paragraphs.push("There's nothing you need to do.");
      break;
    case "stay":
      paragraphs.push(
        "You don't need to change your plan. To keep the cost down, use Wi-Fi where you can until the " +
          "period ends.",
      );
      break;
    case "upgrade": {
      const saving = f.saving ? `would save you about ${f.saving} a month` : "could save you money";
      paragraphs.push(
        `You've gone over your allowance in recent months. Based on what that cost you, a plan with more ` +
          `data ${saving}.${f.link ? ` See the plan: ${f.link}` : ""}`,
      );
      break;
    }
  }
  paragraphs.push("Thank you for being with us.");
  return paragraphs.join("\n\n");
}

// ko-KR ---------------------------------------------------------------------------------------

function koHeadline(f: Figures): string {
  const share = f.usedPercent !== undefined ? `${f.usedPercent}%를` : "대부분을";
  const left = f.daysLeft !== undefined ? `(남은 기간 ${f.daysLeft}일)` : "";
  return `데이터 제공량의 ${share} 사용하셨습니다${left}.`;
}

function koProjectionSms(f: Figures): string {
  if (goesOver(f)) {
    const cost = f.cost ? `, 추가 요금 약 ${f.cost} 예상` : "";
    const price = f.price ? `(1GB당 ${f.price})` : "";
    return ` 이대로면 약 ${formatData(f.projectedOverageMb!, "")} 초과${cost}${price}.`;
  }
  const price = f.price ? ` 초과 요금은 1GB당 ${f.price}입니다.` : "";
  return ` 이대로면 제공량 안에서 쓰실 수 있습니다.${price}`;
}

function koAdviceSms(f: Figures): string {
  switch (f.recommendation) {
    case "none":
      return "";
    case "stay":
      return " 요금제를 바꾸실 필요는 없습니다.";
    case "upgrade": {
      const saving = f.saving ? `월 약 ${f.saving} 더 유리합니다` : "더 유리할 수 있습니다";
      return ` 최근 자주 초과하셔서 상위 요금제가 ${saving}${f.link ? `: ${f.link}` : "."}`;
    }
  }
}

function koEmailBody(f: Figures): string {
  const share = f.usedPercent !== undefined ? `${f.usedPercent}%를` : "대부분을";
  const left = f.daysLeft !== undefined ? ` 남은 기간은 ${f.daysLeft}일입니다.` : "";
  const paragraphs = [
    "안녕하세요, 고객님.",
    `이번 청구 기간 데이터 제공량의 ${share} 사용하셨습니다.${left}`,
  ];
  if (goesOver(f)) {
    const usage =
      f.projectedUsageMb !== undefined
        ? `기간 말까지 약 ${formatData(f.projectedUsageMb, "")}를 사용하셔서 `
        : "";
    const price = f.price ? ` 초과 요금은 1GB당 ${f.price}이며,` : "";
    const cost = f.cost ? ` 예상 추가 요금은 약 ${f.cost}입니다.` : "";
    paragraphs.push(
      `지금 추세라면 ${usage}제공량보다 약 ${formatData(f.projectedOverageMb!, "")}를 더 쓰시게 됩니다.` +
        (cost ? `${price}${cost}` : price ? ` 초과 요금은 1GB당 ${f.price}입니다.` : ""),
    );
  } else {
    const price = f.price ? ` 초과하실 경우 요금은 1GB당 ${f.price}입니다.` : "";
    paragraphs.push(`지금 추세라면 제공량 안에서 사용하실 수 있습니다.${price}`);
  }
  switch (f.recommendation) {
    case "none":
      paragraphs.push("따로 하실 일은 없습니다.");
      break;
    case "stay":
      paragraphs.push(
        "요금제를 바꾸실 필요는 없습니다. 남은 기간에는 가능한 곳에서 Wi-Fi를 이용하시면 추가 요금을 줄일 수 있습니다.",
      );
      break;
    case "upgrade": {
      const saving = f.saving ? `매달 약 ${f.saving}을 절약하실 수 있습니다` : "요금을 아끼실 수 있습니다";
      paragraphs.push(
        "최근 몇 달 동안 제공량을 자주 초과하셨습니다. 그동안의 초과 요금을 기준으로 보면, 데이터가 더 많은 " +
          `요금제로 바꾸시면 ${saving}.${f.link ? ` 요금제 보기: ${f.link}` : ""}`,
      );
      break;
    }
  }
  paragraphs.push("감사합니다.");
  return paragraphs.join("\n\n");
}

const usage = (currency: "USD" | "KRW") =>
  currency === "USD"
    ? {
        usedPercent: 91,
        daysLeft: 11,
        projectedUsageMb: 8806,
        projectedOverageMb: 3686,
        projectedOverageCost: 35.99,
        overagePricePerGb: 10,
        currency,
      }
    : {
        usedPercent: 91,
        daysLeft: 11,
        projectedUsageMb: 8806,
        projectedOverageMb: 3686,
        projectedOverageCost: 39595.7,
        overagePricePerGb: 11000,
        currency,
      };
/** Every recommendation in both currencies, the upgrade with the longest plan id the catalog has. */
const samples = (["USD", "KRW"] as const).flatMap((currency) => [
  { ...usage(currency), recommendation: "none" },
  { ...usage(currency), recommendation: "stay" },
  {
    ...usage(currency),
    recommendation: "upgrade",
    upgradePlanId: "lte-5g-unlimited-premium",
    monthlySaving: 12333.33,
  },
  { usedPercent: 100, daysLeft: 1, currency, recommendation: "none" },
]);

export const dataUsageAlertTemplate = defineTemplate({
  id: "data-usage.alert",
  samples,
  priority: "service",
  // The upgrade variant is a sales suggestion: it goes out as marketing.
  alsoAs: ["marketing"],
  locales: {
    "en-US": {
      sms: (v, c) => {
        const f = figures(v, "en-US", c);
        return `${enHeadline(f)}${enProjectionSms(f)}${enAdviceSms(f)}`;
      },
      // Over budget (the marketing marks, a long plan link): the price of extra data stays, the projection goes.
      smsShort: (v, c) => {
        const f = figures(v, "en-US", c);
        return `${enHeadline(f)}${f.price ? ` Extra data: ${f.price}/GB.` : ""}${enAdviceSms(f)}`;
      },
      email: {
        subject: (v, c) => {
          const f = figures(v, "en-US", c);
          return f.usedPercent !== undefined
            ? `You've used ${f.usedPercent}% of your data`
            : "Your data use this billing period";
        },
        body: (v, c) => enEmailBody(figures(v, "en-US", c)),
      },
    },
    "ko-KR": {
      sms: (v, c) => {
        const f = figures(v, "ko-KR", c);
        return `${koHeadline(f)}${koProjectionSms(f)}${koAdviceSms(f)}`;
      },
      smsShort: (v, c) => {
        const f = figures(v, "ko-KR", c);
        return `${koHeadline(f)}${f.price ? ` 초과 시 1GB당 ${f.price}.` : ""}${koAdviceSms(f)}`;
      },
      email: {
        subject: (v, c) => {
          const f = figures(v, "ko-KR", c);
          return f.usedPercent !== undefined ? `데이터 ${f.usedPercent}% 사용 안내` : "데이터 사용량 안내";
        },
        body: (v, c) => koEmailBody(figures(v, "ko-KR", c)),
      },
    },
  },
});

export const dataUsageTemplates = [dataUsageAlertTemplate];
