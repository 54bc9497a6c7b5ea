import TallyShell

/// `/index.json`: the served scripts for programs.
enum ScriptListing {
    static func json(_ library: ScriptLibrary) -> String {
        let scripts = library.scripts.map { s in
            let parameters = s.parameters.parameters.map { p in
                "{\"name\":\(TextFormats.jsonString(p.name)),\"default\":\(p.defaultText.map(TextFormats.jsonString) ?? "null"),"
                    + "\"field\":\"\(p.field.rawValue)\"}"
            }
            return "{\"name\":\(TextFormats.jsonString(s.name)),\"group\":\(TextFormats.jsonString(s.group)),\"title\":\(TextFormats.jsonString(s.title)),"
                + "\"description\":\(TextFormats.jsonString(s.about)),\"parameters\":[\(parameters.joined(separator: ","))]}"
        }
        return "{\"scripts\":[" + scripts.joined(separator: ",") + "]}\n"
    }
}
