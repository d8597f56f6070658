//! langbench workload "json", Rust implementation.
//!
//! Each kernel call builds a deterministic document of `size` e-commerce orders
//! as typed structs, serializes it with `serde_json::to_string`, parses it back
//! with `serde_json::from_str` into the same structs and aggregates over the
//! parsed data only. See ../README.md for the exact data layout and the order of
//! random draws, which all four implementations share.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

/// The whole serialized payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub generated_by: String,
    pub orders: Vec<Order>,
}

/// One e-commerce order with an embedded copy of its customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub id: u64,
    pub status: String,
    pub created_at: String,
    pub customer: Customer,
    pub currency: String,
    pub items: Vec<LineItem>,
    pub tags: Vec<String>,
}

/// The buyer of an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: u64,
    pub name: String,
    pub email: String,
    pub address: Address,
}

/// A customer's postal address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Address {
    pub street: String,
    pub city: String,
    pub postcode: String,
    pub country: String,
}

/// One product line of an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineItem {
    pub sku: String,
    pub name: String,
    pub quantity: u64,
    pub unit_price_cents: u64,
}

const STATUSES: [&str; 5] = ["pending", "paid", "shipped", "delivered", "cancelled"];
const FIRST_NAMES: [&str; 12] = [
    "Emma", "Liam", "Zoë", "José", "Łukasz", "Søren", "Chloé", "Mehmet", "Aiko", "Иван", "Fatima",
    "Noah",
];
const LAST_NAMES: [&str; 12] = [
    "Smith",
    "García",
    "Müller",
    "Nowak",
    "Rossi",
    "Silva",
    "Dubois",
    "O'Brien",
    "Jensen",
    "田中",
    "𠮷田",
    "Kowalczyk",
];
const DOMAINS: [&str; 3] = ["example.com", "mail.example.org", "shop.example.net"];
const STREETS: [&str; 8] = [
    "Main Street",
    "Bahnhofstraße",
    "Rua Augusta",
    "ulica Floriańska",
    "Rue de Rivoli",
    "銀座通り",
    "High Street",
    "Broadway",
];
/// (city, country, currency)
const CITIES: [(&str, &str, &str); 10] = [
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
];
/// (sku, product name); some names need escaping (quotes, backslashes) or are non-ASCII.
const PRODUCTS: [(&str, &str); 18] = [
    ("KB-101", "Mechanical Keyboard"),
    ("MS-202", "Wireless Mouse"),
    ("MN-303", "27\" 4K Monitor"),
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
    ("PN-116", "Fountain Pen \"Classic\""),
    ("RX-117", "Regex \\d+ Cheat Sheet"),
    ("BT-118", "Water Bottle 0.75 l"),
];
const TAGS: [&str; 8] = [
    "gift",
    "express",
    "fragile",
    "b2b",
    "first-order",
    "newsletter",
    "vip",
    "backorder",
];

/// Park–Miller minimal standard generator shared by all four implementations.
pub struct ParkMiller {
    state: u64,
}

impl ParkMiller {
    pub fn new(seed: u64) -> Self {
        ParkMiller { state: seed }
    }

    /// Advances the generator and returns a value in `0..n`.
    pub fn rand(&mut self, n: usize) -> usize {
        self.state = self.state * 48271 % 2147483647;
        (self.state % n as u64) as usize
    }
}

/// Generates the document of `size` orders from the fixed seed.
pub fn build_document(size: usize) -> Document {
    let mut rng = ParkMiller::new(42);

    // Customers first, so that orders embed a consistent copy of the same customer.
    let num_customers = size / 4 + 1;
    let mut customers: Vec<(Customer, &str)> = Vec::with_capacity(num_customers);
    for c in 0..num_customers {
        let id = c as u64 + 1;
        let first = FIRST_NAMES[rng.rand(FIRST_NAMES.len())];
        let last = LAST_NAMES[rng.rand(LAST_NAMES.len())];
        let domain = DOMAINS[rng.rand(DOMAINS.len())];
        let house = 1 + rng.rand(200);
        let street = STREETS[rng.rand(STREETS.len())];
        let (city, country, currency) = CITIES[rng.rand(CITIES.len())];
        let postcode = 10000 + rng.rand(90000);
        let customer = Customer {
            id,
            name: format!("{first} {last}"),
            email: format!("customer{id}@{domain}"),
            address: Address {
                street: format!("{house} {street}"),
                city: city.to_string(),
                postcode: postcode.to_string(),
                country: country.to_string(),
            },
        };
        customers.push((customer, currency));
    }

    let mut orders = Vec::with_capacity(size);
    for i in 0..size {
        let (customer, currency) = &customers[rng.rand(num_customers)];
        let status = STATUSES[rng.rand(STATUSES.len())];
        let month = 1 + rng.rand(12);
        let day = 1 + rng.rand(28);
        let hour = rng.rand(24);
        let minute = rng.rand(60);
        let second = rng.rand(60);
        let num_items = 1 + rng.rand(5);
        let mut items = Vec::with_capacity(num_items);
        for _ in 0..num_items {
            let (sku, name) = PRODUCTS[rng.rand(PRODUCTS.len())];
            let quantity = 1 + rng.rand(10) as u64;
            let unit_price_cents = 100 + rng.rand(100000) as u64;
            items.push(LineItem {
                sku: sku.to_string(),
                name: name.to_string(),
                quantity,
                unit_price_cents,
            });
        }
        let num_tags = rng.rand(4);
        let mut tags = Vec::with_capacity(num_tags);
        for _ in 0..num_tags {
            tags.push(TAGS[rng.rand(TAGS.len())].to_string());
        }
        orders.push(Order {
            id: i as u64 + 1,
            status: status.to_string(),
            created_at: format!("2024-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z"),
            customer: customer.clone(),
            currency: currency.to_string(),
            items,
            tags,
        });
    }
    Document {
        generated_by: "langbench".to_string(),
        orders,
    }
}

/// Aggregates the parsed document into the canonical result line.
pub fn summarize(doc: &Document) -> String {
    let mut items = 0u64;
    let mut units = 0u64;
    let mut revenue = 0u64;
    let mut name_chars = 0u64;
    let mut customer_ids = HashSet::new();
    let mut by_country: HashMap<&str, u64> = HashMap::new();
    for order in &doc.orders {
        customer_ids.insert(order.customer.id);
        // chars() yields Unicode scalar values, i.e. code points.
        name_chars += order.customer.name.chars().count() as u64;
        let mut order_revenue = 0u64;
        for item in &order.items {
            items += 1;
            units += item.quantity;
            order_revenue += item.quantity * item.unit_price_cents;
        }
        if order.status != "cancelled" {
            revenue += order_revenue;
            *by_country
                .entry(order.customer.address.country.as_str())
                .or_insert(0) += order_revenue;
        }
    }
    // Highest revenue wins; a tie goes to the smaller country code.
    let (mut top_country, mut top_revenue) = ("none", 0u64);
    for (&country, &cents) in &by_country {
        if cents > top_revenue || (cents == top_revenue && country < top_country) {
            top_country = country;
            top_revenue = cents;
        }
    }
    format!(
        "orders={} items={items} units={units} revenue_cents={revenue} customers={} \
         top_country={top_country}:{top_revenue} name_chars={name_chars}",
        doc.orders.len(),
        customer_ids.len()
    )
}

/// Serializes the document to compact JSON.
pub fn serialize(doc: &Document) -> String {
    serde_json::to_string(doc).expect("the document serializes")
}

/// Parses a document serialized by [`serialize`].
pub fn parse(text: &str) -> Document {
    serde_json::from_str(text).expect("the document parses")
}

pub fn kernel(size: u64) -> String {
    let text = serialize(&build_document(size as usize));
    summarize(&parse(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn park_miller_first_values() {
        let mut rng = ParkMiller::new(42);
        let first: Vec<u64> = (0..3)
            .map(|_| {
                rng.rand(usize::MAX);
                rng.state
            })
            .collect();
        assert_eq!(first, vec![2027382, 1226992407, 551494037]);
    }

    #[test]
    fn round_trip_preserves_the_document() {
        let doc = build_document(50);
        assert_eq!(parse(&serialize(&doc)), doc);
    }

    #[test]
    fn escaping_and_non_ascii_survive() {
        let text = serialize(&build_document(200));
        assert!(text.contains(r#"27\" 4K Monitor"#));
        assert!(text.contains(r"C:\\Program Files Sticker"));
        assert!(text.contains("Zürich") || text.contains("東京"));
    }

    #[test]
    fn empty_tags_serialize_as_array() {
        let text = serialize(&build_document(20));
        assert!(text.contains(r#""tags":[]"#));
    }

    #[test]
    fn quick_size_matches_manifest() {
        assert_eq!(
            kernel(1000),
            "orders=1000 items=3012 units=16567 revenue_cents=644641112 customers=247 \
             top_country=CH:87630710 name_chars=10922"
        );
    }

    #[test]
    fn tiny_sizes() {
        assert_eq!(
            kernel(1),
            "orders=1 items=4 units=17 revenue_cents=804523 customers=1 \
             top_country=GB:804523 name_chars=11"
        );
        assert_eq!(
            kernel(10),
            "orders=10 items=23 units=130 revenue_cents=7616469 customers=3 \
             top_country=US:5453316 name_chars=105"
        );
    }
}
