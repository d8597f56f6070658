"""langbench workload "json", Python implementation.

Each kernel call builds a deterministic document of `size` e-commerce orders,
serializes it with json.dumps (compact separators, ensure_ascii=False, as a web
backend sending UTF-8 would), parses it back with json.loads into dicts and
lists, and aggregates over the parsed data only. See ../README.md for the exact
data layout and the order of random draws, which all four implementations share.
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "protocol", "python"))
from langbench_protocol import main  # noqa: E402

STATUSES = ["pending", "paid", "shipped", "delivered", "cancelled"]
FIRST_NAMES = ["Emma", "Liam", "Zoë", "José", "Łukasz", "Søren", "Chloé", "Mehmet", "Aiko", "Иван", "Fatima", "Noah"]
LAST_NAMES = ["Smith", "García", "Müller", "Nowak", "Rossi", "Silva", "Dubois", "O'Brien", "Jensen", "田中", "𠮷田", "Kowalczyk"]
DOMAINS = ["example.com", "mail.example.org", "shop.example.net"]
STREETS = ["Main Street", "Bahnhofstraße", "Rua Augusta", "ulica Floriańska", "Rue de Rivoli", "銀座通り", "High Street", "Broadway"]
# (city, country, currency)
CITIES = [
    ("Zürich", "CH", "CHF"),
    ("São Paulo", "BR", "BRL"),
    ("Kraków", "PL", "PLN"),
    ("東京", "JP", "JPY"),
    ("Berlin", "DE", "EUR"),
    ("Paris", "FR", "EUR"),
    ("New York", "US", "USD"),
    ("London", "GB", "GBP"),
    ("Reykjavík", "IS", "ISK"),
    ("Montréal", "CA", "CAD"),
]
# (sku, product name); some names need escaping (quotes, backslashes) or are non-ASCII.
PRODUCTS = [
    ("KB-101", "Mechanical Keyboard"),
    ("MS-202", "Wireless Mouse"),
    ("MN-303", '27" 4K Monitor'),
    ("CB-404", "USB-C Cable (2 m)"),
    ("HP-505", "Noise-Cancelling Headphones"),
    ("MG-606", "\"World's Best Dev\" Mug"),
    ("ST-707", "C:\\Program Files Sticker"),
    ("TE-808", "抹茶 Green Tea, 100 g"),
    ("CF-909", "Café Crème Beans 1 kg"),
    ("LS-110", "Laptop Stand — Aluminium"),
    ("RL-111", "Rocket Lamp 🚀"),
    ("SP-112", "Salt & Pepper Grinder"),
    ("BK-113", "Книга: Rust in Action"),
    ("CH-114", "Ergonomic Chair"),
    ("DK-115", "Standing Desk 160×80"),
    ("PN-116", 'Fountain Pen "Classic"'),
    ("RX-117", "Regex \\d+ Cheat Sheet"),
    ("BT-118", "Water Bottle 0.75 l"),
]
TAGS = ["gift", "express", "fragile", "b2b", "first-order", "newsletter", "vip", "backorder"]


class ParkMiller:
    """Park–Miller minimal standard generator, identical in all four languages."""

    def __init__(self, seed):
        self.state = seed

    def rand(self, n):
        self.state = self.state * 48271 % 2147483647
        return self.state % n


def build_document(size):
    rng = ParkMiller(42)
    rand = rng.rand

    # Customers first, so that orders embed a consistent copy of the same customer.
    num_customers = size // 4 + 1
    customers = []
    for c in range(num_customers):
        cid = c + 1
        first = FIRST_NAMES[rand(len(FIRST_NAMES))]
        last = LAST_NAMES[rand(len(LAST_NAMES))]
        domain = DOMAINS[rand(len(DOMAINS))]
        house = 1 + rand(200)
        street = STREETS[rand(len(STREETS))]
        city, country, currency = CITIES[rand(len(CITIES))]
        postcode = 10000 + rand(90000)
        customer = {
            "id": cid,
            "name": f"{first} {last}",
            "email": f"customer{cid}@{domain}",
            "address": {"street": f"{house} {street}", "city": city, "postcode": str(postcode), "country": country},
        }
        customers.append((customer, currency))

    orders = []
    for i in range(size):
        customer, currency = customers[rand(num_customers)]
        status = STATUSES[rand(len(STATUSES))]
        month = 1 + rand(12)
        day = 1 + rand(28)
        hour = rand(24)
        minute = rand(60)
        second = rand(60)
        items = []
        for _ in range(1 + rand(5)):
            sku, name = PRODUCTS[rand(len(PRODUCTS))]
            quantity = 1 + rand(10)
            unit_price = 100 + rand(100000)
            items.append({"sku": sku, "name": name, "quantity": quantity, "unit_price_cents": unit_price})
        tags = [TAGS[rand(len(TAGS))] for _ in range(rand(4))]
        orders.append(
            {
                "id": i + 1,
                "status": status,
                "created_at": f"2024-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}Z",
                "customer": customer,
                "currency": currency,
                "items": items,
                "tags": tags,
            }
        )
    return {"generated_by": "langbench", "orders": orders}


def summarize(doc):
    items = 0
    units = 0
    revenue = 0
    name_chars = 0
    customer_ids = set()
    by_country = {}
    for order in doc["orders"]:
        customer = order["customer"]
        customer_ids.add(customer["id"])
        # len() of a str counts code points.
        name_chars += len(customer["name"])
        order_revenue = 0
        for item in order["items"]:
            items += 1
            units += item["quantity"]
            order_revenue += item["quantity"] * item["unit_price_cents"]
        if order["status"] != "cancelled":
            revenue += order_revenue
            country = customer["address"]["country"]
            by_country[country] = by_country.get(country, 0) + order_revenue
    # Highest revenue wins; a tie goes to the smaller country code.
    top_country, top_revenue = "none", 0
    for country, cents in by_country.items():
        if cents > top_revenue or (cents == top_revenue and country < top_country):
            top_country, top_revenue = country, cents
    return (
        f"orders={len(doc['orders'])} items={items} units={units} revenue_cents={revenue} "
        f"customers={len(customer_ids)} top_country={top_country}:{top_revenue} name_chars={name_chars}"
    )


def kernel(size):
    text = json.dumps(build_document(size), ensure_ascii=False, separators=(",", ":"))
    return summarize(json.loads(text))


if __name__ == "__main__":
    main(kernel)
