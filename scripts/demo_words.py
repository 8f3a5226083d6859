"""Word lists of the demo-data generator (all invented; no real people or companies intended)."""

FIRST_NAMES = [
    "Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Sophia", "Mason", "Mia", "Ethan", "Amelia", "Leon",
    "Charlotte", "James", "Harper", "Ben", "Ella", "Finn", "Grace", "Jonas", "Hannah", "Paul", "Julia", "Max",
    "Lena", "Tom", "Sara", "David", "Laura", "Daniel", "Chloe", "Hugo", "Alice", "Louis", "Ines", "Jan",
    "Sanne", "Daan", "Eva", "Lars", "Freya", "Oscar", "Nora", "Samuel", "Zoe", "Aaron", "Maya", "Felix",
    "Priya", "Arjun", "Mei", "Kenji", "Fatima", "Omar", "Aisha", "Carlos", "Lucia", "Mateo", "Elena", "Ivan",
    "Anna", "Peter", "Claire", "Henry", "Ruby", "Jack", "Isla", "Oliver", "Emily", "George", "Lily", "Marc",
]
LAST_NAMES = [
    "Smith", "Johnson", "Brown", "Miller", "Davis", "Garcia", "Wilson", "Taylor", "Clark", "Walker", "Young",
    "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts",
    "Carter", "Phillips", "Evans", "Turner", "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy",
    "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Kelly", "Howard", "Ward",
    "Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Dubois", "Martin",
    "Bernard", "Petit", "Durand", "Leroy", "de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit",
    "Andersson", "Johansson", "Nilsson", "O'Brien", "Byrne", "Fernandez", "Lopez", "Patel", "Singh", "Chen",
    "Wang", "Tanaka", "Kim", "Nguyen", "Rossi", "Costa", "Novak",
]
COMPANY_WORDS_A = [
    "Acme", "Blue", "Bright", "Cedar", "Clear", "Cloud", "Copper", "Crest", "Delta", "Echo", "Ember", "Falcon",
    "Fern", "Flux", "Golden", "Granite", "Harbor", "Helix", "Horizon", "Iron", "Juniper", "Keystone", "Lumen",
    "Maple", "Meridian", "Nimbus", "Nova", "Oak", "Onyx", "Orbit", "Pine", "Pioneer", "Polar", "Prism", "Quartz",
    "Quill", "Radiant", "Redwood", "River", "Sage", "Sierra", "Silver", "Solar", "Spruce", "Stellar", "Summit",
    "Swift", "Terra", "Tidal", "True", "Umber", "Vector", "Velvet", "Vertex", "Willow", "Zenith", "Atlas",
    "Beacon", "Cobalt", "Aurora",
]
COMPANY_WORDS_B = [
    "Analytics", "Labs", "Systems", "Software", "Logistics", "Health", "Robotics", "Foods", "Energy", "Media",
    "Finance", "Capital", "Networks", "Works", "Dynamics", "Solutions", "Retail", "Studios", "Partners",
    "Security", "Cloud", "Data", "Bio", "Mobility", "Commerce", "Learning", "Insurance", "Travel", "Games",
    "Materials", "Devices", "Apparel", "Ventures", "Consulting", "Manufacturing", "Pharma", "Telecom", "Legal",
    "Marine", "Farms",
]
TLDS = ["com", "io", "co", "net", "ai", "de", "fr", "nl", "co.uk", "ca"]
INDUSTRIES = [
    "Software", "Financial Services", "Healthcare", "Retail", "Manufacturing", "Media", "Education",
    "Logistics", "Professional Services", "Telecommunications",
]
TITLES = [
    "Head of Revenue Operations", "RevOps Manager", "VP Sales", "Sales Operations Analyst", "CFO",
    "Director of Marketing", "Marketing Operations Manager", "Data Analyst", "CEO", "COO",
    "Head of Growth", "Customer Success Lead", "Business Intelligence Lead", "CRO",
]
FREE_MAIL = ["gmail.com", "outlook.com", "yahoo.com", "hotmail.com"]
