import Foundation

/// The built-in demo data set: customers, sales, reviews, targets and the sales pipeline (opportunities,
/// stage changes, activities), generated deterministically.
///
/// The same scale always yields the same tables, so `seeds/` can be checked against it.
public enum DemoData {
    /// Default number of sales rows.
    public static let defaultScale = 20_000

    static let regions = ["North", "South", "East", "West", "Central"]
    static let cityStems = [
        "North": ["Aberdeen", "Bergen", "Carlisle", "Dundee", "Elgin", "Falkirk", "Glenrock", "Harlow", "Inverness", "Jarrow"],
        "South": ["Albury", "Brighton", "Chichester", "Dover", "Exeter", "Folkestone", "Guildford", "Hastings", "Ilford", "Jersey"],
        "East": ["Ashford", "Boston", "Cromer", "Diss", "Ely", "Felixstowe", "Grays", "Harwich", "Ipswich", "Jaywick"],
        "West": ["Amesbury", "Bath", "Clifton", "Devizes", "Exmouth", "Frome", "Glastonbury", "Helston", "Ilfracombe", "Jacobstow"],
        "Central": ["Alcester", "Banbury", "Coventry", "Derby", "Evesham", "Flint", "Gloucester", "Hinckley", "Ilkeston", "Kenilworth"],
    ]
    static let citySuffixes = ["", " Vale", " Park"]
    static let industries = ["Retail", "Manufacturing", "Healthcare", "Finance", "Education", "Logistics", "Hospitality", "Construction", "Technology",
        "Energy"]
    static let customerChannels = ["web", "referral", "event", "partner", "cold_call"]
    static let salesChannels = ["online", "phone", "partner", "direct"]
    static let teams = ["Aurora", "Borealis", "Comet", "Draco", "Eclipse", "Falcon", "Galaxy", "Helios"]
    static let firstNames = ["Ada", "Ben", "Chloe", "Dev", "Emma", "Felix", "Grace", "Hugo", "Iris", "Jon", "Kira", "Liam", "Maya", "Noah", "Olga", "Pete",
        "Quinn", "Rosa", "Sam", "Tara", "Uma", "Vik", "Wen", "Xavi", "Yara", "Zoe"]
    static let lastNames = ["Adams", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jones", "Kumar", "Lopez", "Müller", "Novak",
        "Okafor", "Patel", "Rossi", "Silva", "Tanaka", "Weber"]
    static let companyWords = ["Acme", "Blue", "Cedar", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iron", "Juniper", "Kite", "Lumen", "Maple", "Nova",
        "Orchid", "Pioneer", "Quartz", "River", "Summit", "Tide"]
    static let companyKinds = ["Labs", "Group", "Works", "Partners", "Systems", "Traders", "Co", "Holdings"]
    static let categories = ["Laptops", "Monitors", "Printers", "Networking", "Storage", "Software", "Phones", "Audio", "Furniture", "Supplies", "Cameras",
        "Services"]
    static let productStems = ["Laptop", "Monitor", "Printer", "Router", "Drive", "Suite", "Phone", "Headset", "Desk", "Paper Pack", "Camera", "Support Plan"]
    static let categoryPrices: [Double] = [900, 250, 180, 120, 90, 300, 600, 80, 220, 15, 450, 500]
    static let seasonality: [Double] = [0.82, 0.86, 0.98, 0.97, 1.0, 0.95, 0.9, 0.92, 1.04, 1.08, 1.22, 1.3]

    static let startDay = CivilDate.days(year: 2023, month: 1, day: 1)
    static let endDay = CivilDate.days(year: 2025, month: 12, day: 31)

    /// All seven tables at the given number of sales rows.
    public static func generate(scale: Int = defaultScale) -> [(String, Table)] {
        var rng = SplitMix64(seed: 20_251_103)
        let customers = makeCustomers(count: max(10, scale / 10), rng: &rng)
        let reps = makeReps(rng: &rng)
        let products = makeProducts(rng: &rng)
        // The pipeline tables draw on a generator of their own, so they are made on the other core meanwhile.
        var made: [[(String, Table)]] = [[], []]
        made.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                guard part == 0 else {
                    out[1] = makePipeline(count: max(8, scale / 4), customers: customers, reps: reps, products: products)
                    return
                }
                var salesRNG = rng
                let sales = makeSales(count: scale, customers: customers, reps: reps, products: products, rng: &salesRNG)
                let reviews = makeReviews(sales: sales, rng: &salesRNG)
                out[0] = [("sales", sales.table), ("customers", customers.table), ("reviews", reviews),
                          ("targets", makeTargets(reps: reps, sales: sales.table))]
            }
        }
        return made[0] + made[1]
    }

    struct Customers {
        var table: Table
        var regions: [Int]
        var signup: [Int64]
        var cumulativeWeight: [Double]
    }

    static func makeCustomers(count: Int, rng: inout SplitMix64) -> Customers {
        let signupStart = CivilDate.days(year: 2022, month: 1, day: 1)
        let signupEnd = CivilDate.days(year: 2025, month: 11, day: 30)
        var signups = (0..<count).map { _ in signupStart + Int64(pow(rng.unit(), 1.6) * Double(signupEnd - signupStart)) }
        signups.sort()
        var ids = ColumnBuilder(type: .int), names = ColumnBuilder(type: .string), region = ColumnBuilder(type: .string)
        var city = ColumnBuilder(type: .string), industry = ColumnBuilder(type: .string), channel = ColumnBuilder(type: .string)
        var signup = ColumnBuilder(type: .date)
        var regionIndex: [Int] = [], cumulative: [Double] = []
        var total = 0.0
        for i in 0..<count {
            let r = rng.below(regions.count)
            regionIndex.append(r)
            ids.append(int: Int64(i + 1))
            let first = companyWords[rng.below(companyWords.count)], second = companyWords[rng.below(companyWords.count)]
            names.append(string: "\(first) \(second) \(companyKinds[rng.below(companyKinds.count)])")
            region.append(string: regions[r])
            let stems = cityStems[regions[r]]!
            city.append(string: stems[rng.below(stems.count)] + citySuffixes[rng.below(citySuffixes.count)])
            industry.append(string: industries[rng.below(industries.count)])
            channel.append(string: customerChannels[min(customerChannels.count - 1, Int(pow(rng.unit(), 1.3) * Double(customerChannels.count)))])
            signup.append(int: signups[i])
            total += min(150, pow(1 - rng.unit(), -1 / 1.0))
            cumulative.append(total)
        }
        let table = Table(names: ["customer_id", "name", "region", "city", "industry", "channel", "signup_date"],
                          columns: [ids.finish(), names.finish(), region.finish(), city.finish(), industry.finish(), channel.finish(), signup.finish()])
        return Customers(table: table, regions: regionIndex, signup: signups, cumulativeWeight: cumulative)
    }

    struct Rep { var name: String; var team: String; var skill: Double }

    static func makeReps(rng: inout SplitMix64) -> [Rep] {
        var used = Set<String>()
        var reps: [Rep] = []
        while reps.count < 50 {
            let name = "\(firstNames[rng.below(firstNames.count)]) \(lastNames[rng.below(lastNames.count)])"
            guard used.insert(name).inserted else { continue }
            let team = teams[reps.count % teams.count]
            let teamBoost = 0.8 + 0.05 * Double(reps.count % teams.count)
            reps.append(Rep(name: name, team: team, skill: teamBoost * (0.6 + 0.8 * rng.unit())))
        }
        return reps
    }

    struct Product { var name: String; var category: Int; var priceCents: Int64 }

    static func makeProducts(rng: inout SplitMix64) -> [Product] {
        (0..<200).map { i in
            let c = i % categories.count
            let price = categoryPrices[c] * (0.5 + rng.unit())
            let singular = productStems[c]
            return Product(name: "\(singular) \(["Lite", "Pro", "Max", "Air", "One", "Plus", "Mini", "Edge"][i / categories.count % 8]) \(100 + i)",
                           category: c, priceCents: Int64((price * 100).rounded()))
        }
    }

    struct Sales {
        var table: Table
        var dates: [Int64]
        var customers: [Int64]
        var orderIDs: [Int64]
        /// The product names, and each sale's position in them.
        var products: [String]
        var productIndices: [Int]
    }

    static func makeSales(count: Int, customers: Customers, reps: [Rep], products: [Product], rng: inout SplitMix64) -> Sales {
        let dayCount = Int(endDay - startDay + 1)
        var dayWeight: [Double] = []
        var acc = 0.0
        for d in 0..<dayCount {
            let day = startDay + Int64(d)
            let (_, m, _) = CivilDate.civil(day)
            let weekday = CivilDate.weekday(day)
            let w = seasonality[Int(m - 1)] * (1 + 0.12 * Double(d) / 365) * (weekday >= 6 ? 0.45 : 1)
            acc += w
            dayWeight.append(acc)
        }
        var dates = (0..<count).map { _ in startDay + Int64(search(dayWeight, rng.unit() * acc)) }
        dates.sort()
        var repWeight: [Double] = []
        var r = 0.0
        for rep in reps { r += rep.skill; repWeight.append(r) }
        var productWeight: [Double] = []
        var p = 0.0
        for i in 0..<products.count { p += 1 / Double(i % 37 + 2); productWeight.append(p) }
        let discounts: [Int64] = [0, 0, 0, 5, 5, 10, 10, 15, 20]

        var orderID = ColumnBuilder(type: .int, capacity: count), date = ColumnBuilder(type: .date, capacity: count)
        var customer = ColumnBuilder(type: .int, capacity: count), rep = ListColumnBuilder(reps.map(\.name), capacity: count)
        var team = ListColumnBuilder(reps.map(\.team), capacity: count), region = ListColumnBuilder(regions, capacity: count)
        var product = ListColumnBuilder(products.map(\.name), capacity: count), category = ListColumnBuilder(categories, capacity: count)
        var channel = ListColumnBuilder(salesChannels, capacity: count), quantity = ColumnBuilder(type: .int, capacity: count)
        var unitPrice = ColumnBuilder(type: .float, capacity: count), discount = ColumnBuilder(type: .float, capacity: count)
        var amount = ColumnBuilder(type: .float, capacity: count), cost = ColumnBuilder(type: .float, capacity: count)
        var customerIDs: [Int64] = [], productIndices: [Int] = [], orderIDs: [Int64] = []
        var eligible = 0
        for i in 0..<count {
            let day = dates[i]
            while eligible < customers.signup.count, customers.signup[eligible] <= day { eligible += 1 }
            let c = max(0, search(customers.cumulativeWeight, rng.unit() * customers.cumulativeWeight[max(0, eligible - 1)]))
            let repIndex = search(repWeight, rng.unit() * r)
            let productIndex = search(productWeight, rng.unit() * p), pr = products[productIndex]
            let qty = Int64(1 + Int(pow(rng.unit(), 2.2) * 12))
            let priceCents = pr.priceCents + Int64(rng.below(21)) - 10 + Int64(Double(pr.priceCents) * 0.03 * Double(day - startDay) / 365)
            let disc = discounts[rng.below(discounts.count)]
            let amountCents = (qty * priceCents * (100 - disc) + 50) / 100
            // Cost follows the list price, so discounts eat into margin; it stays below the amount (discount ≤ 20%).
            let costCents = qty * priceCents * Int64(40 + rng.below(26)) / 100
            orderID.append(int: Int64(i + 1)); orderIDs.append(Int64(i + 1))
            date.append(int: day)
            customer.append(int: Int64(c + 1)); customerIDs.append(Int64(c + 1))
            rep.append(entry: repIndex); team.append(entry: repIndex)
            region.append(entry: customers.regions[c])
            product.append(entry: productIndex); productIndices.append(productIndex)
            category.append(entry: pr.category)
            channel.append(entry: min(3, Int(pow(rng.unit(), 1.4) * 4)))
            quantity.append(int: qty)
            unitPrice.append(float: Double(priceCents) / 100)
            discount.append(float: Double(disc) / 100)
            amount.append(float: Double(amountCents) / 100)
            cost.append(float: Double(costCents) / 100)
        }
        let table = Table(
            names: ["order_id", "date", "customer_id", "rep", "team", "region", "product", "category", "channel", "quantity", "unit_price", "discount",
                "amount", "cost"],
            columns: [orderID.finish(), date.finish(), customer.finish(), rep.finish(), team.finish(), region.finish(), product.finish(),
                      category.finish(), channel.finish(), quantity.finish(), unitPrice.finish(), discount.finish(), amount.finish(), cost.finish()])
        return Sales(table: table, dates: dates, customers: customerIDs, orderIDs: orderIDs, products: products.map(\.name), productIndices: productIndices)
    }

    static let goodComments = ["Great product, fast delivery", "très bien", "很好", "Works as \"advertised\"", "Excellent support team",
        "Good value for the price", "Would buy again", "Solid, no complaints"]
    static let okComments = ["OK, does the job", "Average quality", "Price is a bit high", "Setup took a while", "Fine, but CompetiCorp is cheaper"]
    static let badComments = ["Late delivery, again", "Asked for a refund", "Arrived damaged; refund pending", "Support never answered",
        "Delivery was late and the box was open", "Switched to CompetiCorp", "Too expensive for what it is"]

    static func makeReviews(sales: Sales, rng: inout SplitMix64) -> Table {
        var id = ColumnBuilder(type: .int), date = ColumnBuilder(type: .date), customer = ColumnBuilder(type: .int)
        var order = ColumnBuilder(type: .int), product = ListColumnBuilder(sales.products), rating = ColumnBuilder(type: .int)
        var text = ColumnBuilder(type: .string)
        var n: Int64 = 0
        for i in 0..<sales.dates.count where rng.unit() < 0.2 {
            n += 1
            let u = rng.unit()
            let stars: Int64 = u < 0.07 ? 1 : u < 0.15 ? 2 : u < 0.33 ? 3 : u < 0.65 ? 4 : 5
            id.append(int: n)
            date.append(int: sales.dates[i] + Int64(rng.below(21)))
            customer.append(int: sales.customers[i])
            order.append(int: sales.orderIDs[i])
            product.append(entry: sales.productIndices[i])
            rating.append(int: stars)
            let pool = stars >= 4 ? goodComments : stars == 3 ? okComments : badComments
            if rng.unit() < 0.1 { text.appendNull() } else { text.append(string: pool[rng.below(pool.count)]) }
        }
        return Table(names: ["review_id", "date", "customer_id", "order_id", "product", "rating", "text"],
                     columns: [id.finish(), date.finish(), customer.finish(), order.finish(), product.finish(), rating.finish(), text.finish()])
    }

    /// Monthly targets: each rep's actual revenue spread over the months by seasonality and growth, plus 5%.
    static func makeTargets(reps: [Rep], sales: Table) -> Table {
        let repColumn = sales.column("rep")!, amounts = sales.column("amount")!
        var totals: [String: Double] = [:]
        for i in 0..<sales.rowCount { totals[repColumn.dictionary[Int(repColumn.codes[i])], default: 0] += amounts.floats[i] }
        let weights: [Double] = (0..<36).map { (m: Int) -> Double in
            let growth: Double = 1 + 0.12 * Double(m) / 12
            return seasonality[m % 12] * growth
        }
        let weightSum = weights.reduce(0, +)
        var rep = ColumnBuilder(type: .string), month = ColumnBuilder(type: .period), target = ColumnBuilder(type: .float)
        for r in reps {
            for m in 0..<36 {
                let expected = (totals[r.name] ?? 0) * weights[m] / weightSum
                rep.append(string: r.name)
                month.append(int: Period.month(Int64(2023 + m / 12), Int64(m % 12 + 1)).encoded)
                target.append(float: max(100, (expected * 1.05 / 100).rounded() * 100))
            }
        }
        return Table(names: ["rep", "month", "target"], columns: [rep.finish(), month.finish(), target.finish()])
    }

    /// Index of the first cumulative weight above `x`.
    static func search(_ cumulative: [Double], _ x: Double) -> Int {
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > x { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Parses a scale such as `20000`, `100k`, `1m` or `10m`.
    public static func parseScale(_ text: String) -> Int? {
        let lower = text.lowercased().replacingOccurrences(of: "_", with: "")
        let (digits, factor): (Substring, Double) = lower.hasSuffix("k") ? (lower.dropLast(), 1e3)
            : lower.hasSuffix("m") ? (lower.dropLast(), 1e6) : (Substring(lower), 1)
        guard let v = Double(digits), v > 0, v * factor <= 1e9 else { return nil }
        return Int(v * factor)
    }
}
