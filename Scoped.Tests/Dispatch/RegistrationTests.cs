using Scoped.Dispatch;

namespace Scoped.Tests.Dispatch;

[TestClass]
public sealed class RegistrationTests
{
    [TestMethod]
    [DataRow("")]
    [DataRow("a..b")]
    [DataRow("1abc")]
    [DataRow("a.b c")]
    [DataRow(".a")]
    public void MalformedDomainsAreRejected(string domain)
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => new DispatchBackend("x", domain));
        Assert.AreEqual("domains", ex.ParamName);
    }

    [TestMethod]
    public void DomainRuleIsParentServesChildNeverTheReverse()
    {
        Assert.IsTrue(Domain.Serves("a", "a.b"));
        Assert.IsTrue(Domain.Serves("a.b", "a.b"));
        Assert.IsFalse(Domain.Serves("a.b", "a"));
        Assert.IsFalse(Domain.Serves("a", "ab"));

        var domain = TestKit.NewDomain();
        var child = Multimethod.Create<Func<object, string>>($"{domain}.filters:op", _ => "default");
        var parentBackend = new DispatchBackend(TestKit.NewName("parent"), domain).Implement(child, (HostArray _) => "parent");
        using (Backend.Use(parentBackend)) Assert.AreEqual("parent", child.Invoke(new HostArray()));

        var parent = TestKit.Unary(domain);
        var ex = Assert.ThrowsExactly<ArgumentException>(() => new DispatchBackend("childonly", $"{domain}.filters").Implement(parent, (HostArray _) => "x"));
        StringAssert.Contains(ex.Message, "does not include the domain");
    }

    [TestMethod]
    [DataRow("")]
    [DataRow(" ")]
    [DataRow("a b")]
    [DataRow("a,b")]
    [DataRow("default")]
    public void BadBackendNamesAreRejected(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => new DispatchBackend(name, "tests"));
        Assert.AreEqual("name", ex.ParamName);
    }

    [TestMethod]
    [DataRow("nodomain")]
    [DataRow(":op")]
    [DataRow("a:")]
    [DataRow("a:b:c")]
    [DataRow("a:1op")]
    public void BadMultimethodNamesAreRejected(string name)
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => Multimethod.Create<Func<object, string>>(name));
        Assert.AreEqual("name", ex.ParamName);
    }

    [TestMethod]
    public void DispatchableParametersMustExistAndBeReferenceTypes()
    {
        var domain = TestKit.NewDomain();
        Assert.ThrowsExactly<ArgumentException>(() => Multimethod.Create<Func<object, double, string>>($"{domain}:a", null, 2));
        var ex = Assert.ThrowsExactly<ArgumentException>(() => Multimethod.Create<Func<object, double, string>>($"{domain}:b", null, 1));
        StringAssert.Contains(ex.Message, "value type");
        Assert.ThrowsExactly<ArgumentException>(() => Multimethod.Create<Func<object, object, string>>($"{domain}:c", null, 0, 0));
    }

    [TestMethod]
    public void RegisteringTheSameNameTwiceIsRejected()
    {
        var name = TestKit.NewName("dup");
        Backend.Register(new DispatchBackend(name, TestKit.NewDomain()));
        try
        {
            var ex = Assert.ThrowsExactly<ArgumentException>(() => Backend.Register(new DispatchBackend(name, TestKit.NewDomain())));
            StringAssert.Contains(ex.Message, name);
        }
        finally { Backend.Unregister(name); }
    }

    [TestMethod]
    public void ImplementationsOfTheWrongShapeAreRejectedAtRegistration()
    {
        var domain = TestKit.NewDomain();
        var method = Multimethod.Create<Func<object, double, string>>($"{domain}:op");
        var backend = new DispatchBackend("shape", domain);

        var tooFew = Assert.ThrowsExactly<ArgumentException>(() => backend.Implement(method, (HostArray a) => "x"));
        StringAssert.Contains(tooFew.Message, "takes 1 parameters, not 2");
        var wrongScalar = Assert.ThrowsExactly<ArgumentException>(() => backend.Implement(method, (HostArray a, int s) => "x"));
        StringAssert.Contains(wrongScalar.Message, "Int32");
        var wrongReturn = Assert.ThrowsExactly<ArgumentException>(() => backend.Implement(method, (HostArray a, double s) => 1));
        StringAssert.Contains(wrongReturn.Message, "returns Int32");
        var scalarOnDispatchPosition = Assert.ThrowsExactly<ArgumentException>(() =>
            new DispatchBackend("shape2", domain).Implement(Multimethod.Create<Func<HostArray, string>>($"{domain}:typed"), (DeviceArray d) => "x"));
        StringAssert.Contains(scalarOnDispatchPosition.Message, "not a HostArray");
        Assert.ThrowsExactly<ArgumentNullException>(() => backend.Implement(method, null!));
    }

    [TestMethod]
    public void TheMostSpecificRegistrationWins()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var backend = new DispatchBackend(TestKit.NewName("spec"), domain)
            .Implement(method, (object _) => "object")
            .Implement(method, (HostArray _) => "host")
            .Implement(method, (SubHostArray _) => "sub");
        using (Backend.Use(backend))
        {
            Assert.AreEqual("sub", method.Invoke(new SubHostArray()));
            Assert.AreEqual("host", method.Invoke(new HostArray()));
            Assert.AreEqual("object", method.Invoke(new DeviceArray()));
        }
    }

    [TestMethod]
    public void EquallySpecificRegistrationsAreRejectedNamingBoth()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var backend = new DispatchBackend("ambiguous", domain).Implement(method, (ITagged _) => "tagged");
        var ex = Assert.ThrowsExactly<ArgumentException>(() => backend.Implement(method, (INamed _) => "named"));
        StringAssert.Contains(ex.Message, "op(ITagged)");
        StringAssert.Contains(ex.Message, "op(INamed)");

        var pair = Multimethod.Create<Func<object, object, string>>($"{domain}:pair", null, 0, 1);
        var b2 = new DispatchBackend("ambiguous2", domain).Implement(pair, (HostArray a, object b) => "left");
        var ex2 = Assert.ThrowsExactly<ArgumentException>(() => b2.Implement(pair, (object a, HostArray b) => "right"));
        StringAssert.Contains(ex2.Message, "(HostArray, HostArray)");

        var dup = Assert.ThrowsExactly<ArgumentException>(() => b2.Implement(pair, (HostArray a, object b) => "again"));
        StringAssert.Contains(dup.Message, "already implements");
    }

    [TestMethod]
    public void DisjointRegistrationsAreAccepted()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var backend = new DispatchBackend(TestKit.NewName("disjoint"), domain)
            .Implement(method, (HostArray _) => "host")
            .Implement(method, (DeviceArray _) => "device");
        using (Backend.Use(backend))
        {
            Assert.AreEqual("device", method.Invoke(new DeviceArray()));
            Assert.AreEqual("host", method.Invoke(new HostArray()));
        }
    }

    [TestMethod]
    public void NullDispatchableArgumentsAreRejectedByName()
    {
        var method = Multimethod.Create<Func<object, double, string>>($"{TestKit.NewDomain()}:op", (a, s) => "default");
        var ex = Assert.ThrowsExactly<ArgumentNullException>(() => method.Invoke(null!, 1.0));
        Assert.AreEqual("arg1", ex.ParamName);
    }

    [TestMethod]
    public void BackendInfoDescribesWhatTheBackendDoes()
    {
        var domain = TestKit.NewDomain();
        var method = TestKit.Unary(domain);
        var backend = new DispatchBackend("info", domain) { Description = "for the test", Version = "1.2.3" }
            .Owns<DeviceArray>().Implement(method, (DeviceArray _) => "x");
        var info = backend.Info;
        Assert.AreEqual("info", info.Name);
        Assert.AreEqual("for the test", info.Description);
        Assert.AreEqual("1.2.3", info.Version);
        CollectionAssert.AreEqual(new[] { domain }, info.Domains.ToArray());
        CollectionAssert.AreEqual(new[] { method.Name }, info.Functions.ToArray());
        CollectionAssert.AreEqual(new[] { typeof(DeviceArray).FullName }, info.OwnedTypes.ToArray());
    }
}
