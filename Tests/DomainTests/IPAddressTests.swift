import Testing

@testable import Domain

@Suite struct IPAddressTests {
    @Test func addressesAreReadInTheFormsProxiesWrite() throws {
        #expect(IPAddress("192.0.2.1")?.description == "192.0.2.1")
        #expect(IPAddress("192.0.2.1:4711") == IPAddress("192.0.2.1"))
        #expect(IPAddress("::ffff:192.0.2.1") == IPAddress("192.0.2.1"))
        #expect(IPAddress("[2001:db8::1]:4711") == IPAddress("2001:DB8:0:0:0:0:0:1"))
        #expect(IPAddress("::1")?.isLoopback == true)
        #expect(IPAddress("127.8.9.10")?.isLoopback == true)
        #expect(IPAddress("2001:db8::")?.description == "2001:db8::")
        // RFC 5952: the longest zero run (the first of equals) is `::`, a single zero group stays.
        #expect(IPAddress("0:0:0:0:0:0:0:1")?.description == "::1")
        #expect(IPAddress("::")?.description == "::")
        #expect(IPAddress("2001:0:0:1:0:0:0:1")?.description == "2001:0:0:1::1")
        #expect(IPAddress("2001:db8:0:1:1:1:1:1")?.description == "2001:db8:0:1:1:1:1:1")
        #expect(IPAddress("2001:DB8:0:0:1:0:0:1")?.description == "2001:db8::1:0:0:1")
    }

    @Test func anythingElseIsNoAddress() {
        let refused = [
            "", "unknown", "_hidden", "example.gov.vn", "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4:",
            "1.2.3.4:123456", "::1::", "1:2:3:4:5:6:7:8:9", "fe80::1%eth0", "[::1", "[::1]x", ":::", "1.2.3.4 ",
            "12345::", String(repeating: "1", count: 100), "\u{0}", "1.2.3.4\r\n",
        ]
        for text in refused {
            #expect(IPAddress(text) == nil, "\(text)")
        }
    }

    @Test func rangesMatchTheirAddressesOnly() throws {
        let ten = try #require(AddressRange("10.0.0.0/8"))
        #expect(ten.contains(try #require(IPAddress("10.255.1.2"))))
        #expect(!ten.contains(try #require(IPAddress("11.0.0.1"))))
        #expect(ten.contains(try #require(IPAddress("::ffff:10.1.1.1"))))
        let one = try #require(AddressRange("203.0.113.7"))
        #expect(one.contains(try #require(IPAddress("203.0.113.7"))))
        #expect(!one.contains(try #require(IPAddress("203.0.113.8"))))
        let v6 = try #require(AddressRange("2001:db8::/32"))
        #expect(v6.contains(try #require(IPAddress("2001:db8:ffff::1"))))
        #expect(!v6.contains(try #require(IPAddress("2001:db9::1"))))
        #expect(AddressRange("0.0.0.0/0")?.contains(try #require(IPAddress("8.8.8.8"))) == true)
        for bad in ["10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "::/129", "x/8", "10.0.0.0/8/8"] {
            #expect(AddressRange(bad) == nil, "\(bad)")
        }
    }

    @Test func theClientIsTheFirstUntrustedHopFromTheRight() throws {
        let proxies = [try #require(AddressRange("10.0.0.0/8"))]
        let proxy = IPAddress("10.0.0.2")
        // No trusted peer: the headers are the client's own words and change nothing.
        #expect(ClientAddress.resolve(peer: IPAddress("198.51.100.4"), forwarded: ["1.1.1.1"], trusted: proxies)
            == IPAddress("198.51.100.4"))
        // A trusted proxy appends the address it saw; whatever the client wrote before it is skipped.
        #expect(ClientAddress.resolve(peer: proxy, forwarded: ["6.6.6.6", "198.51.100.4"], trusted: proxies)
            == IPAddress("198.51.100.4"))
        // Two trusted proxies in a row.
        #expect(ClientAddress.resolve(peer: proxy, forwarded: ["198.51.100.4", "10.0.0.9"], trusted: proxies)
            == IPAddress("198.51.100.4"))
        // A value that is no address ends the walk at the last trusted hop.
        #expect(ClientAddress.resolve(peer: proxy, forwarded: ["unknown"], trusted: proxies) == proxy)
        #expect(ClientAddress.resolve(peer: proxy, forwarded: ["198.51.100.4", "garbage", "10.0.0.9"], trusted: proxies)
            == IPAddress("10.0.0.9"))
        // No headers: the proxy itself.
        #expect(ClientAddress.resolve(peer: proxy, forwarded: [], trusted: proxies) == proxy)
    }

    @Test func forwardingHeadersAreSplitIntoHops() {
        #expect(ClientAddress.hops(xForwardedFor: ["1.1.1.1, 2.2.2.2", "3.3.3.3"]) == ["1.1.1.1", " 2.2.2.2", "3.3.3.3"])
        #expect(ClientAddress.hops(forwarded: [#"for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8::1]:4711""#])
            == ["192.0.2.60", "[2001:db8::1]:4711"])
        #expect(ClientAddress.hops(forwarded: ["proto=https"]) == ["unknown"])
    }
}
