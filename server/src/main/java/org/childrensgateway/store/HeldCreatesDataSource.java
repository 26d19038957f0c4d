package org.childrensgateway.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The gateway's DataSource: each connection it gives holds its transaction's new resources
 * ({@link HeldCreates}) and writes them before anything else is done on it. Every call on the
 * connection first writes what is held, except those that end its transaction without a commit
 * (rollback, close, abort), which drop it. So no statement can run before the held rows are
 * stored, whoever runs it (the store, another repository's own SQL, a JdbcClient, the person
 * index just before the commit), and neither can the commit. Only the held write itself runs
 * beneath, on the pool's connection.
 */
public class HeldCreatesDataSource extends DelegatingDataSource {

    public HeldCreatesDataSource(DataSource pool) {
        super(pool);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return holding(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return holding(super.getConnection(username, password));
    }

    /** What {@code connection} holds, if it is one of this DataSource's. */
    static HeldCreates heldOn(Connection connection) {
        return Proxy.isProxyClass(connection.getClass()) && Proxy.getInvocationHandler(connection) instanceof Holding h ? h.held() : null;
    }

    private static Connection holding(Connection pooled) {
        return (Connection) Proxy.newProxyInstance(HeldCreatesDataSource.class.getClassLoader(), new Class<?>[] {Connection.class},
                new Holding(pooled, new HeldCreates(pooled)));
    }

    private record Holding(Connection pooled, HeldCreates held) implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "holding " + pooled;
                }
                // A rollback to a savepoint drops all that is held too: setting the savepoint wrote what was held before it.
                case "rollback", "close", "abort" -> held.discard();
                default -> held.write();
            }
            try {
                return method.invoke(pooled, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
