package dev.mjpegrtp.benchmarks;

import java.util.Set;

import javax.management.AttributeNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.VirtualMachine;

/**
 * Reads MBean attributes of a running JVM on this machine, for the benchmark scripts: it attaches, starts the
 * JVM's local management agent and prints one {@code objectName attribute=value} line per MBean and attribute.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.mjpegrtp.benchmarks.JmxAttributes PID 'org.apache.camel:type=consumers,*' CurrentFps</pre>
 *
 * Starting the agent loads JMX remoting classes into the target, so read its memory figures first.
 */
public final class JmxAttributes {

    private JmxAttributes() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: JmxAttributes PID OBJECT-NAME-PATTERN ATTRIBUTE...");
            System.exit(2);
        }
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            Set<ObjectName> names = server.queryNames(new ObjectName(args[1]), null);
            for (ObjectName name : names) {
                for (int i = 2; i < args.length; i++) {
                    try {
                        System.out.println(name + " " + args[i] + "=" + server.getAttribute(name, args[i]));
                    } catch (AttributeNotFoundException e) {
                        // Not every MBean the pattern matches has every attribute: only the ones that do are printed.
                    }
                }
            }
        }
    }
}
