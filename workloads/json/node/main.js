// langbench workload "json", Node.js implementation.
//
// Each kernel call builds a deterministic document of `size` e-commerce orders,
// serializes it with JSON.stringify, parses it back with JSON.parse and
// aggregates over the parsed data only. See ../README.md for the exact data
// layout and the order of random draws, which all four implementations share.
"use strict";

const { main } = require("../../protocol/node/protocol.js");

const STATUSES = ["pending", "paid", "shipped", "delivered", "cancelled"];
const FIRST_NAMES = ["Emma", "Liam", "Zoë", "José", "Łukasz", "Søren", "Chloé", "Mehmet", "Aiko", "Иван", "Fatima", "Noah"];
const LAST_NAMES = ["Smith", "García", "Müller", "Nowak", "Rossi", "Silva", "Dubois", "O'Brien", "Jensen", "田中", "𠮷田", "Kowalczyk"];
const DOMAINS = ["example.com", "mail.example.org", "shop.example.net"];
const STREETS = ["Main Street", "Bahnhofstraße", "Rua Augusta", "ulica Floriańska", "Rue de Rivoli", "銀座通り", "High Street", "Broadway"];
// [city, country, currency]
const CITIES = [
  ["Zürich", "CH", "CHF"],
  ["São Paulo", "BR", "BRL"],
  ["Kraków", "PL", "PLN"],
  ["東京", "JP", "JPY"],
  ["Berlin", "DE", "EUR"],
  ["Paris", "FR", "EUR"],
  ["New York", "US", "USD"],
  ["London", "GB", "GBP"],
  ["Reykjavík", "IS", "ISK"],
  ["Montréal", "CA", "CAD"],
];
// [sku, product name]; some names need escaping (quotes, backslashes) or are non-ASCII.
const PRODUCTS = [
  ["KB-101", "Mechanical Keyboard"],
  ["MS-202", "Wireless Mouse"],
  ["MN-303", '27" 4K Monitor'],
  ["CB-404", "USB-C Cable (2 m)"],
  ["HP-505", "Noise-Cancelling Headphones"],
  ["MG-606", '"World\'s Best Dev" Mug'],
  ["ST-707", "C:\\Program Files Sticker"],
  ["TE-808", "抹茶 Green Tea, 100 g"],
  ["CF-909", "Café Crème Beans 1 kg"],
  ["LS-110", "Laptop Stand — Aluminium"],
  ["RL-111", "Rocket Lamp 🚀"],
  ["SP-112", "Salt & Pepper Grinder"],
  ["BK-113", "Книга: Rust in Action"],
  ["CH-114", "Ergonomic Chair"],
  ["DK-115", "Standing Desk 160×80"],
  ["PN-116", 'Fountain Pen "Classic"'],
  ["RX-117", "Regex \\d+ Cheat Sheet"],
  ["BT-118", "Water Bottle 0.75 l"],
];
const TAGS = ["gift", "express", "fragile", "b2b", "first-order", "newsletter", "vip", "backorder"];

// Park–Miller minimal standard generator. The product stays below 2^47, so
// plain doubles compute it exactly.
function makeRng(seed) {
  let state = seed;
  return function rand(n) {
    state = (state * 48271) % 2147483647;
    return state % n;
  };
}

function pad2(n) {
  return String(n).padStart(2, "0");
}

function buildDocument(size) {
  const rand = makeRng(42);

  // Customers first, so that orders embed a consistent copy of the same customer.
  const numCustomers = Math.floor(size / 4) + 1;
  const customers = [];
  for (let c = 0; c < numCustomers; c++) {
    const id = c + 1;
    const first = FIRST_NAMES[rand(FIRST_NAMES.length)];
    const last = LAST_NAMES[rand(LAST_NAMES.length)];
    const domain = DOMAINS[rand(DOMAINS.length)];
    const house = 1 + rand(200);
    const street = STREETS[rand(STREETS.length)];
    const city = CITIES[rand(CITIES.length)];
    const postcode = 10000 + rand(90000);
    customers.push({
      customer: {
        id,
        name: `${first} ${last}`,
        email: `customer${id}@${domain}`,
        address: { street: `${house} ${street}`, city: city[0], postcode: String(postcode), country: city[1] },
      },
      currency: city[2],
    });
  }

  const orders = [];
  for (let i = 0; i < size; i++) {
    const cust = customers[rand(numCustomers)];
    const status = STATUSES[rand(STATUSES.length)];
    const month = 1 + rand(12);
    const day = 1 + rand(28);
    const hour = rand(24);
    const minute = rand(60);
    const second = rand(60);
    const numItems = 1 + rand(5);
    const items = [];
    for (let k = 0; k < numItems; k++) {
      const product = PRODUCTS[rand(PRODUCTS.length)];
      const quantity = 1 + rand(10);
      const unitPrice = 100 + rand(100000);
      items.push({ sku: product[0], name: product[1], quantity, unit_price_cents: unitPrice });
    }
    const numTags = rand(4);
    const tags = [];
    for (let k = 0; k < numTags; k++) {
      tags.push(TAGS[rand(TAGS.length)]);
    }
    orders.push({
      id: i + 1,
      status,
      created_at: `2024-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}Z`,
      customer: cust.customer,
      currency: cust.currency,
      items,
      tags,
    });
  }
  return { generated_by: "langbench", orders };
}

// Counts Unicode code points; a JS string's length counts UTF-16 units, which
// would count an astral character such as "𠮷" twice.
function codePoints(s) {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function summarize(doc) {
  let items = 0;
  let units = 0;
  let revenue = 0;
  let nameChars = 0;
  const customerIds = new Set();
  const byCountry = new Map();
  for (const order of doc.orders) {
    customerIds.add(order.customer.id);
    nameChars += codePoints(order.customer.name);
    let orderRevenue = 0;
    for (const item of order.items) {
      items++;
      units += item.quantity;
      orderRevenue += item.quantity * item.unit_price_cents;
    }
    if (order.status !== "cancelled") {
      revenue += orderRevenue;
      const country = order.customer.address.country;
      byCountry.set(country, (byCountry.get(country) || 0) + orderRevenue);
    }
  }
  // Highest revenue wins; a tie goes to the smaller country code.
  let topCountry = "none";
  let topRevenue = 0;
  for (const [country, cents] of byCountry) {
    if (cents > topRevenue || (cents === topRevenue && country < topCountry)) {
      topCountry = country;
      topRevenue = cents;
    }
  }
  return (
    `orders=${doc.orders.length} items=${items} units=${units} revenue_cents=${revenue} ` +
    `customers=${customerIds.size} top_country=${topCountry}:${topRevenue} name_chars=${nameChars}`
  );
}

function kernel(size) {
  const text = JSON.stringify(buildDocument(size));
  return summarize(JSON.parse(text));
}

main(kernel);
