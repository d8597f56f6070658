// Command json is the langbench workload "json", Go implementation.
//
// Each kernel call builds a deterministic document of `size` e-commerce orders
// as typed structs, serializes it with encoding/json (json.Marshal), parses it
// back with json.Unmarshal into the same structs and aggregates over the parsed
// data only. See ../README.md for the exact data layout and the order of random
// draws, which all four implementations share.
package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"

	protocol "langbench/workloads/protocol/go"
)

// Document is the whole serialized payload.
type Document struct {
	GeneratedBy string  `json:"generated_by"`
	Orders      []Order `json:"orders"`
}

// Order is one e-commerce order with an embedded copy of its customer.
type Order struct {
	ID        int64      `json:"id"`
	Status    string     `json:"status"`
	CreatedAt string     `json:"created_at"`
	Customer  Customer   `json:"customer"`
	Currency  string     `json:"currency"`
	Items     []LineItem `json:"items"`
	Tags      []string   `json:"tags"`
}

// Customer is the buyer of an order.
type Customer struct {
	ID      int64   `json:"id"`
	Name    string  `json:"name"`
	Email   string  `json:"email"`
	Address Address `json:"address"`
}

// Address is a customer's postal address.
type Address struct {
	Street   string `json:"street"`
	City     string `json:"city"`
	Postcode string `json:"postcode"`
	Country  string `json:"country"`
}

// LineItem is one product line of an order.
type LineItem struct {
	SKU            string `json:"sku"`
	Name           string `json:"name"`
	Quantity       int64  `json:"quantity"`
	UnitPriceCents int64  `json:"unit_price_cents"`
}

var statuses = []string{"pending", "paid", "shipped", "delivered", "cancelled"}
var firstNames = []string{"Emma", "Liam", "Zoë", "José", "Łukasz", "Søren", "Chloé", "Mehmet", "Aiko", "Иван", "Fatima", "Noah"}
var lastNames = []string{"Smith", "García", "Müller", "Nowak", "Rossi", "Silva", "Dubois", "O'Brien", "Jensen", "田中", "𠮷田", "Kowalczyk"}
var domains = []string{"example.com", "mail.example.org", "shop.example.net"}
var streets = []string{"Main Street", "Bahnhofstraße", "Rua Augusta", "ulica Floriańska", "Rue de Rivoli", "銀座通り", "High Street", "Broadway"}

type city struct{ name, country, currency string }

var cities = []city{
	{"Zürich", "CH", "CHF"},
	{"São Paulo", "BR", "BRL"},
	{"Kraków", "PL", "PLN"},
	{"東京", "JP", "JPY"},
	{"Berlin", "DE", "EUR"},
	{"Paris", "FR", "EUR"},
	{"New York", "US", "USD"},
	{"London", "GB", "GBP"},
	{"Reykjavík", "IS", "ISK"},
	{"Montréal", "CA", "CAD"},
}

type product struct{ sku, name string }

// Some product names need escaping (quotes, backslashes) or are non-ASCII.
var products = []product{
	{"KB-101", "Mechanical Keyboard"},
	{"MS-202", "Wireless Mouse"},
	{"MN-303", `27" 4K Monitor`},
	{"CB-404", "USB-C Cable (2 m)"},
	{"HP-505", "Noise-Cancelling Headphones"},
	{"MG-606", `"World's Best Dev" Mug`},
	{"ST-707", `C:\Program Files Sticker`},
	{"TE-808", "抹茶 Green Tea, 100 g"},
	{"CF-909", "Café Crème Beans 1 kg"},
	{"LS-110", "Laptop Stand — Aluminium"},
	{"RL-111", "Rocket Lamp 🚀"},
	{"SP-112", "Salt & Pepper Grinder"},
	{"BK-113", "Книга: Rust in Action"},
	{"CH-114", "Ergonomic Chair"},
	{"DK-115", "Standing Desk 160×80"},
	{"PN-116", `Fountain Pen "Classic"`},
	{"RX-117", `Regex \d+ Cheat Sheet`},
	{"BT-118", "Water Bottle 0.75 l"},
}

var tagNames = []string{"gift", "express", "fragile", "b2b", "first-order", "newsletter", "vip", "backorder"}

// parkMiller is the Park–Miller minimal standard generator shared by all four
// implementations.
type parkMiller struct{ state int64 }

func (r *parkMiller) rand(n int) int {
	r.state = r.state * 48271 % 2147483647
	return int(r.state % int64(n))
}

type customerEntry struct {
	customer Customer
	currency string
}

// BuildDocument generates the document of size orders from the fixed seed.
func BuildDocument(size int) Document {
	rng := &parkMiller{state: 42}

	// Customers first, so that orders embed a consistent copy of the same customer.
	numCustomers := size/4 + 1
	customers := make([]customerEntry, 0, numCustomers)
	for c := 0; c < numCustomers; c++ {
		id := int64(c + 1)
		first := firstNames[rng.rand(len(firstNames))]
		last := lastNames[rng.rand(len(lastNames))]
		domain := domains[rng.rand(len(domains))]
		house := 1 + rng.rand(200)
		street := streets[rng.rand(len(streets))]
		ci := cities[rng.rand(len(cities))]
		postcode := 10000 + rng.rand(90000)
		customers = append(customers, customerEntry{
			customer: Customer{
				ID:    id,
				Name:  first + " " + last,
				Email: "customer" + strconv.FormatInt(id, 10) + "@" + domain,
				Address: Address{
					Street:   strconv.Itoa(house) + " " + street,
					City:     ci.name,
					Postcode: strconv.Itoa(postcode),
					Country:  ci.country,
				},
			},
			currency: ci.currency,
		})
	}

	orders := make([]Order, 0, size)
	for i := 0; i < size; i++ {
		cust := customers[rng.rand(numCustomers)]
		status := statuses[rng.rand(len(statuses))]
		month := 1 + rng.rand(12)
		day := 1 + rng.rand(28)
		hour := rng.rand(24)
		minute := rng.rand(60)
		second := rng.rand(60)
		numItems := 1 + rng.rand(5)
		items := make([]LineItem, 0, numItems)
		for k := 0; k < numItems; k++ {
			p := products[rng.rand(len(products))]
			quantity := 1 + rng.rand(10)
			unitPrice := 100 + rng.rand(100000)
			items = append(items, LineItem{SKU: p.sku, Name: p.name, Quantity: int64(quantity), UnitPriceCents: int64(unitPrice)})
		}
		numTags := rng.rand(4)
		// A non-nil empty slice, so that no tags marshal as [] rather than null.
		tags := make([]string, 0, numTags)
		for k := 0; k < numTags; k++ {
			tags = append(tags, tagNames[rng.rand(len(tagNames))])
		}
		orders = append(orders, Order{
			ID:        int64(i + 1),
			Status:    status,
			CreatedAt: fmt.Sprintf("2024-%02d-%02dT%02d:%02d:%02dZ", month, day, hour, minute, second),
			Customer:  cust.customer,
			Currency:  cust.currency,
			Items:     items,
			Tags:      tags,
		})
	}
	return Document{GeneratedBy: "langbench", Orders: orders}
}

// Summarize aggregates the parsed document into the canonical result line.
func Summarize(doc *Document) string {
	var items, units, revenue, nameChars int64
	customerIDs := make(map[int64]struct{})
	byCountry := make(map[string]int64)
	for i := range doc.Orders {
		order := &doc.Orders[i]
		customerIDs[order.Customer.ID] = struct{}{}
		nameChars += int64(utf8.RuneCountInString(order.Customer.Name))
		var orderRevenue int64
		for _, item := range order.Items {
			items++
			units += item.Quantity
			orderRevenue += item.Quantity * item.UnitPriceCents
		}
		if order.Status != "cancelled" {
			revenue += orderRevenue
			byCountry[order.Customer.Address.Country] += orderRevenue
		}
	}
	// Highest revenue wins; a tie goes to the smaller country code.
	topCountry, topRevenue := "none", int64(0)
	for country, cents := range byCountry {
		if cents > topRevenue || (cents == topRevenue && country < topCountry) {
			topCountry, topRevenue = country, cents
		}
	}
	return fmt.Sprintf("orders=%d items=%d units=%d revenue_cents=%d customers=%d top_country=%s:%d name_chars=%d",
		len(doc.Orders), items, units, revenue, len(customerIDs), topCountry, topRevenue, nameChars)
}

func kernel(size uint64) string {
	doc := BuildDocument(int(size))
	data, err := json.Marshal(&doc)
	if err != nil {
		panic(err)
	}
	var parsed Document
	if err := json.Unmarshal(data, &parsed); err != nil {
		panic(err)
	}
	return Summarize(&parsed)
}

func main() { protocol.Main(kernel) }
